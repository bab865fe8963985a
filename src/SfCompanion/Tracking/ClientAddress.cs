using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using SfCompanion.Storage;

namespace SfCompanion.Tracking;

/// <summary>What is kept of a clicker's IP address, and whether it belongs to a known scanner range.</summary>
public sealed class ClientAddress
{
    private readonly TrackingOptions _options;
    private readonly List<(IPNetwork Network, string Text)> _scannerRanges;
    private readonly Lazy<byte[]> _hashKey;

    public ClientAddress(IOptions<TrackingOptions> options, IDocumentStore store)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _scannerRanges = _options.ScannerIpRanges.Select(r => (IPNetwork.Parse(r), r)).ToList();
        _hashKey = new Lazy<byte[]>(() => LoadOrCreateKey(store));
        if (_options.HashesIp)
        {
            _ = _hashKey.Value;
        }
    }

    /// <summary>The scanner range containing <paramref name="address"/>, if any.</summary>
    public string? ScannerRange(IPAddress? address)
    {
        if (address is null || _scannerRanges.Count == 0)
        {
            return null;
        }

        var normalized = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        foreach (var (network, text) in _scannerRanges)
        {
            if (network.Contains(normalized))
            {
                return text;
            }
        }

        return null;
    }

    /// <summary>The address as stored: IPv4 /24 or IPv6 /48 by default, a keyed hash, or nothing.</summary>
    public string? ForStorage(IPAddress? address)
    {
        if (address is null || _options.DropsIp)
        {
            return null;
        }

        var normalized = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        if (_options.HashesIp)
        {
            Span<byte> mac = stackalloc byte[32];
            HMACSHA256.HashData(_hashKey.Value, Encoding.ASCII.GetBytes(normalized.ToString()), mac);
            return "h:" + Convert.ToHexStringLower(mac[..12]);
        }

        return Truncate(normalized);
    }

    internal static string Truncate(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        var keep = address.AddressFamily == AddressFamily.InterNetwork ? 3 : 6;
        for (var i = keep; i < bytes.Length; i++)
        {
            bytes[i] = 0;
        }

        return new IPAddress(bytes).ToString() + (address.AddressFamily == AddressFamily.InterNetwork ? "/24" : "/48");
    }

    private static byte[] LoadOrCreateKey(IDocumentStore store)
    {
        const string kind = "tracking-secret";
        // First click after start: the store is already open.
        var existing = store.GetAsync(kind, "ip-hash").GetAwaiter().GetResult();
        if (existing is not null)
        {
            return Convert.FromBase64String(existing.Data);
        }

        var key = RandomNumberGenerator.GetBytes(32);
        try
        {
            store.PutAsync(kind, new DocumentWrite("ip-hash", Convert.ToBase64String(key), ExpectedVersion: 0)).GetAwaiter().GetResult();
            return key;
        }
        catch (ConcurrencyConflictException)
        {
            return Convert.FromBase64String(store.GetAsync(kind, "ip-hash").GetAwaiter().GetResult()!.Data);
        }
    }
}
