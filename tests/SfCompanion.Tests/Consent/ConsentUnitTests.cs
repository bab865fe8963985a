using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SfCompanion.Consent;
using SfCompanion.Storage;
using SfCompanion.Sync;
using SfCompanion.Writeback;

namespace SfCompanion.Tests.Consent;

public sealed class ConsentUnitTests : IDisposable
{
    private const string Lead = "00Q000000000001AAA";
    private readonly string _directory = Directory.CreateTempSubdirectory("sfc-consent-unit-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 10, 8, 0, 0, TimeSpan.Zero));
    private readonly SqliteStore _store;
    private readonly ConsentOptions _options = new();

    public ConsentUnitTests()
    {
        _store = SqliteStore.Open(new SqliteStorageOptions { Path = Path.Combine(_directory, "store.db") }, _time);
        Store = new ConsentStore(_store, _store, Options.Create(_options));
        Mirror = new Mirror(_store, new SyncObjectCatalog(Options.Create(new SyncOptions())));
        Outbox = new Outbox(_store, _time);
        Service = new ConsentService(Store, Outbox, Mirror, Options.Create(_options), _time);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ConsentStore Store { get; }

    private Mirror Mirror { get; }

    private Outbox Outbox { get; }

    private ConsentService Service { get; }

    [Fact]
    public async Task A_generated_salt_with_plus_and_slash_is_read_back_by_another_process()
    {
        // The serializer writes '+' as \u002B: each replica and restart reads the salt another one generated.
        var salt = Enumerable.Range(0, 32).Select(i => (byte)(i % 2 == 0 ? 0xFB : 0xFF)).ToArray();
        var encoded = Convert.ToBase64String(salt);
        Assert.Contains('+', encoded);
        Assert.Contains('/', encoded);
        var directory = Directory.CreateTempSubdirectory("sfc-consent-salt-").FullName;
        try
        {
            using (var store = SqliteStore.Open(new SqliteStorageOptions { Path = Path.Combine(directory, "store.db") }, _time))
            {
                await store.PutAsync("consent-salt", new DocumentWrite("generated", System.Text.Json.JsonSerializer.Serialize(encoded)), Ct);
                var consent = new ConsentStore(store, store, Options.Create(new ConsentOptions()));

                var expected = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(salt, "jeanne@exemple.fr"u8));
                Assert.Equal(expected, consent.Hash(" Jeanne@Exemple.fr "));
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("fr-FR,fr;q=0.9,en;q=0.8", "fr")]
    [InlineData("en-US,en;q=0.9", "en")]
    [InlineData("de-DE,en;q=0.5,fr;q=0.7", "fr")]
    [InlineData("de-DE", "en")]
    [InlineData("fr;q=0,en", "en")]
    public void Language_follows_accept_language(string header, string expected)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.AcceptLanguage = header;

        Assert.Equal(expected, ConsentTexts.For(context.Request, "en").Lang);
    }

    [Fact]
    public void Lang_query_overrides_accept_language()
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.AcceptLanguage = "en";
        context.Request.QueryString = new QueryString("?lang=fr");

        Assert.Equal("fr", ConsentTexts.For(context.Request, "en").Lang);
    }

    [Theory]
    [InlineData("203.0.113.77", "203.0.113.0/24")]
    [InlineData("::ffff:198.51.100.9", "198.51.100.0/24")]
    [InlineData("2001:db8:abcd:12:3456::1", "2001:db8:abcd::/48")]
    public void Ip_addresses_are_truncated_and_hashed(string ip, string prefix)
    {
        var described = Store.DescribeIp(IPAddress.Parse(ip));

        Assert.Equal(prefix, described!.Value.Prefix);
        Assert.Equal(16, described.Value.Hash.Length);
        Assert.DoesNotContain(ip, described.Value.Hash, StringComparison.Ordinal);
    }

    [Fact]
    public void An_objection_to_all_prospection_stops_every_channel()
    {
        var state = new ConsentState
        {
            Subject = Lead,
            Channels = new(StringComparer.Ordinal)
            {
                [ConsentChannels.Email] = new ChannelConsent { Status = ConsentActions.OptIn, At = _time.GetUtcNow(), Source = ConsentSources.Page },
                [ConsentChannels.Prospection] = new ChannelConsent { Status = ConsentActions.OptOut, At = _time.GetUtcNow(), Source = ConsentSources.Page },
            },
        };

        Assert.All(ConsentChannels.All, c => Assert.True(state.IsOptedOut(c)));
        Assert.False(state.IsOptedIn(ConsentChannels.Email));
    }

    [Fact]
    public async Task Apply_records_proof_then_state_then_queues_the_salesforce_fields()
    {
        var outcome = await Service.ApplyAsync(Lead, [new ConsentChange(ConsentChannels.Sms, ConsentActions.OptOut)],
            new ConsentContext(ConsentSources.Page, Ip: IPAddress.Parse("192.0.2.10"), UserAgent: "UA", TokenId: "k1." + Lead), Ct);

        Assert.True(outcome.Changed);
        var e = Assert.Single(await Store.ReadEventsAsync(Lead, Ct));
        Assert.Equal("192.0.2.0/24", e.IpPrefix);
        Assert.Equal(_time.GetUtcNow(), e.At);
        Assert.Equal("marketing", e.Purpose);
        Assert.Equal(1, outcome.State.Channels[ConsentChannels.Sms].Sequence);
        var pending = await Outbox.GetAsync("Lead", Lead, Ct);
        Assert.Equal("true", pending!.Fields["Sfc_Sms_Opt_Out__c"].Value);
        Assert.Equal("false", pending.Fields["HasOptedOutOfEmail"].Value);
        Assert.NotNull(pending.Fields["Sfc_Consent_Changed__c"].Value);
    }

    [Fact]
    public async Task The_same_choice_twice_is_recorded_once()
    {
        var change = new ConsentChange(ConsentChannels.Email, ConsentActions.OptOut);
        await Service.ApplyAsync(Lead, [change], new ConsentContext(ConsentSources.OneClick), Ct);
        var second = await Service.ApplyAsync(Lead, [change], new ConsentContext(ConsentSources.OneClick), Ct);

        Assert.False(second.Changed);
        Assert.Single(await Store.ReadEventsAsync(Lead, Ct));
    }

    [Fact]
    public async Task Concurrent_changes_of_one_subject_all_land_in_log_and_state()
    {
        await Task.WhenAll(ConsentChannels.All.Select(c =>
            Service.ApplyAsync(Lead, [new ConsentChange(c, ConsentActions.OptOut)], new ConsentContext(ConsentSources.Page), Ct)));

        var state = await Service.GetStateAsync(Lead, Ct);
        Assert.Equal(4, (await Store.ReadEventsAsync(Lead, Ct)).Count);
        Assert.Equal(ConsentChannels.All.Order(), state!.Channels.Keys.Order());
    }

    [Fact]
    public async Task Retention_anonymises_subjects_without_interaction_and_keeps_suppression_for_objections()
    {
        const string Quiet = "00Q000000000002AAA";
        await Mirror.PutAsync("Lead", [new MirrorRecord("Lead", Lead, new Dictionary<string, string?> { ["Email"] = "old@exemple.fr" })], cancellationToken: Ct);
        await Service.ApplyAsync(Lead, [new ConsentChange(ConsentChannels.Email, ConsentActions.OptOut)], new ConsentContext(ConsentSources.Page), Ct);
        await Service.ApplyAsync(Quiet, [new ConsentChange(ConsentChannels.Email, ConsentActions.OptIn)], new ConsentContext(ConsentSources.Page), Ct);
        _time.Advance(TimeSpan.FromDays(1000));
        const string Recent = "00Q000000000003AAA";
        await Service.ApplyAsync(Recent, [new ConsentChange(ConsentChannels.Phone, ConsentActions.OptOut)], new ConsentContext(ConsentSources.Page), Ct);
        _time.Advance(TimeSpan.FromDays(100));
        var retention = new ConsentRetention(Store, Service, Mirror, Outbox, Options.Create(_options), _time);

        var result = await retention.RunAsync(cancellationToken: Ct);

        Assert.Equal(3, result.Examined);
        Assert.Equal(2, result.Anonymised);
        Assert.Null(await Service.GetStateAsync(Lead, Ct));
        Assert.Empty(await Store.ReadEventsAsync(Lead, Ct));
        Assert.Null(await Service.GetStateAsync(Quiet, Ct));
        Assert.NotNull(await Service.GetStateAsync(Recent, Ct));
        Assert.True(await Service.IsEmailSuppressedAsync("OLD@exemple.fr", Ct));
        Assert.True(await Service.IsOptedOutAsync(Lead, ConsentChannels.Email, Ct));
        Assert.False(await Store.IsSuppressedAsync(Quiet, Ct));
    }

    [Fact]
    public async Task Retention_flags_stale_records_for_review_when_configured()
    {
        _options.RetentionFlagField = "Sfc_Retention_Review__c";
        await Mirror.PutAsync("Lead",
        [
            new MirrorRecord("Lead", Lead, new Dictionary<string, string?> { ["LastModifiedDate"] = "2021-01-01T00:00:00.000+0000" }),
            new MirrorRecord("Lead", "00Q000000000004AAA", new Dictionary<string, string?> { ["LastModifiedDate"] = "2025-12-01T00:00:00.000+0000" }),
        ], cancellationToken: Ct);
        var retention = new ConsentRetention(Store, Service, Mirror, Outbox, Options.Create(_options), _time);

        var result = await retention.RunAsync(cancellationToken: Ct);

        Assert.Equal(1, result.Flagged);
        Assert.Equal("true", (await Outbox.GetAsync("Lead", Lead, Ct))!.Fields["Sfc_Retention_Review__c"].Value);
        Assert.Null(await Outbox.GetAsync("Lead", "00Q000000000004AAA", Ct));
    }

    public void Dispose()
    {
        _store.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
