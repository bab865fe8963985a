using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using SfCompanion.Recipients;

namespace SfCompanion.Tests.Recipients;

public sealed class RecipientTokensTests
{
    private const string Lead = "00Q5g00000AbCdEFGH";
    private static readonly byte[] KeyA = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] KeyB = RandomNumberGenerator.GetBytes(32);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 5, 1, 8, 0, 0, TimeSpan.Zero));

    private RecipientTokens Tokens(string active = "a", bool withB = true) =>
        new(withB ? new Dictionary<string, byte[]> { ["a"] = KeyA, ["b"] = KeyB } : new Dictionary<string, byte[]> { ["a"] = KeyA }, active, _time);

    [Fact]
    public void Issued_token_verifies_to_its_recipient()
    {
        var token = Tokens().Issue(Lead);
        var claim = Tokens().Verify(token);
        Assert.NotNull(claim);
        Assert.Equal(Lead, claim.RecipientId);
        Assert.Equal("a", claim.KeyId);
        Assert.DoesNotContain("+", token, StringComparison.Ordinal);
        Assert.DoesNotContain("/", token, StringComparison.Ordinal);
        Assert.True(token.Length < 64);
    }

    [Fact]
    public void Every_single_character_change_is_rejected()
    {
        var token = Tokens().Issue(Lead);
        const string alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.";
        for (var i = 0; i < token.Length; i++)
        {
            foreach (var c in alphabet)
            {
                if (c == token[i])
                {
                    continue;
                }

                var tampered = token[..i] + c + token[(i + 1)..];
                Assert.Null(Tokens().Verify(tampered));
            }
        }
    }

    [Fact]
    public void Truncated_extended_and_foreign_tokens_are_rejected()
    {
        var token = Tokens().Issue(Lead);
        for (var length = 0; length < token.Length; length++)
        {
            Assert.Null(Tokens().Verify(token[..length]));
        }

        Assert.Null(Tokens().Verify(token + "A"));
        Assert.Null(Tokens().Verify(token + "." + token));
        var foreign = new RecipientTokens(new Dictionary<string, byte[]> { ["a"] = RandomNumberGenerator.GetBytes(32) }, "a", _time).Issue(Lead);
        Assert.Null(Tokens().Verify(foreign));
        Assert.Null(Tokens().Verify(new string('A', 5_000)));
    }

    [Fact]
    public void Rotated_keys_keep_old_links_working_and_sign_with_the_new_key()
    {
        var old = Tokens(active: "a").Issue(Lead);
        var rotated = Tokens(active: "b");
        Assert.Equal(Lead, rotated.Verify(old)!.RecipientId);
        Assert.StartsWith("b.", rotated.Issue(Lead), StringComparison.Ordinal);
        Assert.Null(Tokens(withB: false).Verify(rotated.Issue(Lead)));
    }

    [Fact]
    public void Purpose_tokens_expire_and_only_serve_their_purpose()
    {
        var token = Tokens().IssueFor(Lead, "confirm-email", TimeSpan.FromDays(7));
        Assert.Equal("confirm-email", Tokens().Verify(token, "confirm-email")!.Purpose);
        Assert.Null(Tokens().Verify(token, "confirm-sms"));
        Assert.Null(Tokens().Verify(token));
        Assert.Null(Tokens().Verify(Tokens().Issue(Lead), "confirm-email"));

        _time.Advance(TimeSpan.FromDays(7));
        Assert.Null(Tokens().Verify(token, "confirm-email"));
    }

    [Fact]
    public void Random_inputs_never_verify()
    {
        var random = new Random(1234);
        const string alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.%/\\\r\n\0<>\"' ";
        for (var i = 0; i < 5_000; i++)
        {
            var chars = new char[random.Next(0, 120)];
            for (var j = 0; j < chars.Length; j++)
            {
                chars[j] = alphabet[random.Next(alphabet.Length)];
            }

            Assert.Null(Tokens().Verify(new string(chars)));
            Assert.Null(Tokens().Verify("a." + Lead + "." + new string(chars)));
        }
    }

    [Fact]
    public void Only_salesforce_ids_can_be_signed()
    {
        Assert.Throws<ArgumentException>(() => Tokens().Issue("../../etc/passwd"));
        Assert.Throws<ArgumentException>(() => Tokens().Issue("00Q5g00000AbCdE.x"));
        Assert.Throws<ArgumentException>(() => Tokens().IssueFor(Lead, "bad purpose", TimeSpan.FromDays(1)));
    }
}
