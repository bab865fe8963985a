using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using SfCompanion.Storage;

namespace SfCompanion.WebConsole;

/// <summary>
/// Keeps the data protection key ring (which signs session and anti-forgery cookies) in the service's store, so every
/// <c>web</c> replica on the same store reads cookies issued by the others: no sticky sessions needed, and sessions
/// survive restarts.
/// </summary>
internal sealed class StoreXmlRepository(IServiceProvider services) : IXmlRepository
{
    // Resolved on first use: data protection is built early, before the start-up checks report a store problem.
    private IDocumentStore Store => services.GetRequiredService<IDocumentStore>();

    public const string Kind = "data-protection-key";

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        // Called rarely (the key ring is cached and refreshed about once a day) and from synchronous code.
        var elements = new List<XElement>();
        string? after = null;
        do
        {
            var page = Store.ListAsync(Kind, afterKey: after, limit: 500).GetAwaiter().GetResult();
            elements.AddRange(page.Items.Select(d => XElement.Parse(d.Data)));
            after = page.NextAfterKey;
        }
        while (after is not null);

        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        var key = string.IsNullOrEmpty(friendlyName) ? Guid.NewGuid().ToString("N") : friendlyName;
        Store.PutAsync(Kind, new DocumentWrite(key, element.ToString(SaveOptions.DisableFormatting))).GetAwaiter().GetResult();
    }
}
