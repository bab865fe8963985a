namespace SfCompanion.Emulator.Model;

/// <summary>18-character Salesforce record Ids: key prefix, pod, counter and the case-folding checksum.</summary>
public static class SalesforceId
{
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private const string ChecksumAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

    /// <summary>Builds an 18-char Id from a 3-char key prefix and a counter (fixed-width base62, so ordinal order is creation order).</summary>
    public static string Create(string keyPrefix, long counter)
    {
        Span<char> id = stackalloc char[18];
        keyPrefix.AsSpan().CopyTo(id);
        id[3] = 'g';
        id[4] = 'K';
        id[5] = '0';
        for (var i = 14; i >= 6; i--)
        {
            id[i] = Base62[(int)(counter % 62)];
            counter /= 62;
        }

        WriteChecksum(id);
        return new string(id);
    }

    /// <summary>Returns the 18-char form of a 15- or 18-char Id, or null when the text is not an Id.</summary>
    public static string? Normalize(string? value)
    {
        if (value is null || (value.Length != 15 && value.Length != 18))
        {
            return null;
        }

        foreach (var c in value.AsSpan(0, 15))
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return null;
            }
        }

        Span<char> id = stackalloc char[18];
        value.AsSpan(0, 15).CopyTo(id);
        WriteChecksum(id);
        if (value.Length == 18 && !id[15..].SequenceEqual(value.AsSpan(15)))
        {
            // The suffix encodes the case of the first 15 chars; an 18-char Id is case-insensitive, so a mismatch
            // means the caller changed the case and the checksum tells us how to restore it.
            return Restore(value);
        }

        return new string(id);
    }

    public static string KeyPrefix(string id) => id[..3];

    private static void WriteChecksum(Span<char> id)
    {
        for (var chunk = 0; chunk < 3; chunk++)
        {
            var bits = 0;
            for (var i = 0; i < 5; i++)
            {
                if (char.IsAsciiLetterUpper(id[(chunk * 5) + i]))
                {
                    bits |= 1 << i;
                }
            }

            id[15 + chunk] = ChecksumAlphabet[bits];
        }
    }

    private static string? Restore(string value)
    {
        Span<char> id = stackalloc char[18];
        for (var chunk = 0; chunk < 3; chunk++)
        {
            var bits = ChecksumAlphabet.IndexOf(char.ToUpperInvariant(value[15 + chunk]), StringComparison.Ordinal);
            if (bits < 0)
            {
                return null;
            }

            for (var i = 0; i < 5; i++)
            {
                var c = value[(chunk * 5) + i];
                id[(chunk * 5) + i] = (bits & (1 << i)) != 0 ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c);
            }
        }

        WriteChecksum(id);
        return new string(id);
    }
}
