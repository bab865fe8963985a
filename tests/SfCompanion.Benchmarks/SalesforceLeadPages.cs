using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SfCompanion.Benchmarks;

/// <summary>
/// Builds query response pages of Lead records as Salesforce sends them: <c>attributes</c> on every record, a parent
/// relationship (<c>Owner</c>) as a nested object, date-times in <c>2024-01-31T10:00:00.000+0000</c>, dates, nulls,
/// booleans, integers and decimals, raw UTF-8 accented text. Deterministic for a seed.
/// </summary>
internal static class SalesforceLeadPages
{
    public const string Version = "v66.0";

    /// <summary>Selected fields of each record, as a SOQL field list (26 fields, one of them a parent path).</summary>
    public const string FieldList =
        "Id, FirstName, LastName, Company, Title, Email, Phone, City, PostalCode, Country, Industry, NumberOfEmployees, AnnualRevenue, "
        + "LeadSource, Status, Rating, HasOptedOutOfEmail, DoNotCall, IsConverted, CreatedDate, LastModifiedDate, SystemModstamp, "
        + "LastActivityDate, OwnerId, Owner.Name, Sfc_Score__c";

    private static readonly string[] FirstNames = ["Élodie", "Jean-François", "Camille", "Thierry", "Agnès", "Mathieu", "Hélène", "Loïc", "Sophie", "Benoît"];
    private static readonly string[] LastNames = ["Martin", "Bernard", "Lefèvre", "Dubois", "Moreau", "Girard", "Laurent", "Rousseau", "Fontaine", "Chevalier"];
    private static readonly string[] Companies = ["Transports Garnier SAS", "Boulangerie Mercier", "Atelier Lumière SARL", "Bureau d'études Vidal", "Groupe Hôtelier Renaud"];
    private static readonly string[] Titles = ["Directeur commercial", "Directrice commerciale", "Responsable achats", "Gérant", "Gérante", "Chef de projet"];
    private static readonly string[] Cities = ["Lyon", "Nantes", "Toulouse", "Saint-Étienne", "Besançon", "Orléans", "Aix-en-Provence"];
    private static readonly string[] Industries = ["Transportation", "Food & Beverage", "Manufacturing", "Engineering", "Hospitality"];
    private static readonly string[] Sources = ["Web", "Salon", "Partenaire", "Téléprospection"];
    private static readonly string[] Statuses = ["Open - Not Contacted", "Working - Contacted", "Closed - Not Converted"];
    private static readonly string[] Owners = ["Nathalie Roux", "Julien Faure", "Céline Blanc", "Pascal Henry"];

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>One page of <paramref name="records"/> leads; the last page has <c>done: true</c> and no <c>nextRecordsUrl</c>.</summary>
    public static byte[] Build(int records, int totalSize, bool done, int seed)
    {
        var random = new Random(seed);
        var created = new DateTimeOffset(2023, 3, 1, 8, 0, 0, TimeSpan.Zero);
        using var buffer = new MemoryStream(records * 1_200);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteNumber("totalSize", totalSize);
            writer.WriteBoolean("done", done);
            if (!done)
            {
                writer.WriteString("nextRecordsUrl", $"/services/data/{Version}/query/01gAB00000BenchA-{records}");
            }

            writer.WriteStartArray("records");
            for (var i = 0; i < records; i++)
            {
                WriteLead(writer, random, i, created.AddMinutes(random.Next(0, 900_000)));
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteLead(Utf8JsonWriter writer, Random random, int index, DateTimeOffset created)
    {
        var id = string.Create(CultureInfo.InvariantCulture, $"00Q5g{index + 1_000_000:D10}AAA");
        var first = Pick(random, FirstNames);
        var last = Pick(random, LastNames);
        var modified = created.AddDays(random.Next(0, 400)).AddSeconds(random.Next(0, 86_400));
        var owner = random.Next(Owners.Length);

        writer.WriteStartObject();
        WriteAttributes(writer, "Lead", id);
        writer.WriteString("Id", id);
        writer.WriteString("FirstName", first);
        writer.WriteString("LastName", last);
        writer.WriteString("Company", Pick(random, Companies));
        writer.WriteString("Title", Pick(random, Titles));
        writer.WriteString("Email", string.Create(CultureInfo.InvariantCulture, $"contact{index}@entreprise-{random.Next(10_000)}.fr"));
        WriteNullable(writer, "Phone", random.Next(10) < 3 ? null : string.Create(CultureInfo.InvariantCulture, $"+33 4 {random.Next(10, 99)} {random.Next(10, 99)} {random.Next(10, 99)} {random.Next(10, 99)}"));
        writer.WriteString("City", Pick(random, Cities));
        writer.WriteString("PostalCode", string.Create(CultureInfo.InvariantCulture, $"{random.Next(1_000, 95_999):D5}"));
        writer.WriteString("Country", "France");
        writer.WriteString("Industry", Pick(random, Industries));
        if (random.Next(10) < 2)
        {
            writer.WriteNull("NumberOfEmployees");
            writer.WriteNull("AnnualRevenue");
        }
        else
        {
            writer.WriteNumber("NumberOfEmployees", random.Next(1, 5_000));
            writer.WriteNumber("AnnualRevenue", Math.Round((decimal)random.NextDouble() * 50_000_000m, 2));
        }

        writer.WriteString("LeadSource", Pick(random, Sources));
        writer.WriteString("Status", Pick(random, Statuses));
        WriteNullable(writer, "Rating", random.Next(10) < 7 ? null : "Warm");
        writer.WriteBoolean("HasOptedOutOfEmail", random.Next(20) == 0);
        writer.WriteBoolean("DoNotCall", random.Next(30) == 0);
        writer.WriteBoolean("IsConverted", false);
        writer.WriteString("CreatedDate", SalesforceDateTime(created));
        writer.WriteString("LastModifiedDate", SalesforceDateTime(modified));
        writer.WriteString("SystemModstamp", SalesforceDateTime(modified));
        WriteNullable(writer, "LastActivityDate", random.Next(2) == 0 ? null : modified.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        var ownerId = string.Create(CultureInfo.InvariantCulture, $"0055g{owner + 1_000:D10}AAA");
        writer.WriteString("OwnerId", ownerId);
        writer.WriteStartObject("Owner");
        WriteAttributes(writer, "User", ownerId);
        writer.WriteString("Name", Owners[owner]);
        writer.WriteEndObject();
        if (random.Next(3) == 0)
        {
            writer.WriteNull("Sfc_Score__c");
        }
        else
        {
            writer.WriteNumber("Sfc_Score__c", random.Next(0, 1_000) / 10.0);
        }

        writer.WriteEndObject();
    }

    private static void WriteAttributes(Utf8JsonWriter writer, string type, string id)
    {
        writer.WriteStartObject("attributes");
        writer.WriteString("type", type);
        writer.WriteString("url", $"/services/data/{Version}/sobjects/{type}/{id}");
        writer.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];

    private static string SalesforceDateTime(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture);
}

/// <summary>A Lead bound to typed properties, as a caller of <c>QueryAsync&lt;T&gt;</c> would declare it.</summary>
public sealed class SalesforceLeadRow
{
    public string Id { get; set; } = "";

    public string? FirstName { get; set; }

    public string LastName { get; set; } = "";

    public string Company { get; set; } = "";

    public string? Title { get; set; }

    public string? Email { get; set; }

    public string? Phone { get; set; }

    public string? City { get; set; }

    public string? PostalCode { get; set; }

    public string? Country { get; set; }

    public string? Industry { get; set; }

    public int? NumberOfEmployees { get; set; }

    public decimal? AnnualRevenue { get; set; }

    public string? LeadSource { get; set; }

    public string? Status { get; set; }

    public string? Rating { get; set; }

    public bool HasOptedOutOfEmail { get; set; }

    public bool DoNotCall { get; set; }

    public bool IsConverted { get; set; }

    public DateTimeOffset CreatedDate { get; set; }

    public DateTimeOffset LastModifiedDate { get; set; }

    public DateTimeOffset SystemModstamp { get; set; }

    public DateOnly? LastActivityDate { get; set; }

    public string? OwnerId { get; set; }

    public SalesforceOwnerRow? Owner { get; set; }

    [JsonPropertyName("Sfc_Score__c")]
    public double? Score { get; set; }
}

public sealed class SalesforceOwnerRow
{
    public string? Name { get; set; }
}

/// <summary>
/// A Salesforce org in memory for the client: answers the token request and serves the same query page
/// <c>pages</c> times (the last one with <c>done: true</c>), so a million records stream without a server or sockets.
/// </summary>
internal sealed class SalesforceQueryPagesHandler(byte[] morePage, byte[] lastPage, int pages) : HttpMessageHandler
{
    public const string InstanceUrl = "https://bench.my.salesforce.com";

    private static readonly byte[] TokenBody = Encoding.UTF8.GetBytes(
        $$"""{"access_token":"00DAB0000000001!bench","instance_url":"{{InstanceUrl}}","id":"{{InstanceUrl}}/id/00DAB0000000001AAA/0055g00000001000AAA","token_type":"Bearer","issued_at":"1767225600000","signature":"c2lnbmF0dXJl"}""");

    private int _served;

    public int Served => _served;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        if (path.EndsWith("/services/oauth2/token", StringComparison.Ordinal))
        {
            return Task.FromResult(Json(TokenBody));
        }

        if (!path.Contains("/query", StringComparison.Ordinal))
        {
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound) { RequestMessage = request });
        }

        var served = Interlocked.Increment(ref _served);
        var response = Json(served >= pages ? lastPage : morePage);
        response.Headers.Add("Sforce-Limit-Info", string.Create(CultureInfo.InvariantCulture, $"api-usage={served}/10000000"));
        response.RequestMessage = request;
        return Task.FromResult(response);
    }

    // ByteArrayContent reads through a MemoryStream over the shared array: serving a page costs no copy.
    private static HttpResponseMessage Json(byte[] body) => new(HttpStatusCode.OK)
    {
        Content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") { CharSet = "UTF-8" } } },
    };
}
