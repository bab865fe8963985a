using System.Globalization;
using System.Text;
using SfCompanion.Emulator;

namespace SfCompanion.Emulator.Tests.DemoData;

/// <summary>A test sink that copies every record it receives (the generator reuses its dictionaries) and hands out fake Ids.</summary>
internal sealed class RecordingSink : IDemoDataSink
{
    private static readonly Dictionary<string, string> Prefixes = new(StringComparer.Ordinal)
    {
        ["User"] = "005", ["Account"] = "001", ["Campaign"] = "701", ["CampaignMemberStatus"] = "01Y", ["Lead"] = "00Q",
        ["Contact"] = "003", ["CampaignMember"] = "00v", ["Opportunity"] = "006", ["Task"] = "00T",
    };

    private readonly Dictionary<string, Record> _byId = new(StringComparer.Ordinal);

    public List<Record> Records { get; } = [];

    public string Insert(string sobjectType, IReadOnlyDictionary<string, object?> fields)
    {
        var id = string.Concat(Prefixes[sobjectType], (Records.Count + 1).ToString("D15", CultureInfo.InvariantCulture));
        var record = new Record(sobjectType, id, fields.ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal));
        Records.Add(record);
        _byId.Add(id, record);
        return id;
    }

    public Record? Find(string id) => _byId.GetValueOrDefault(id);

    public IEnumerable<Record> OfType(string sobjectType) => Records.Where(r => r.Type == sobjectType);

    internal sealed record Record(string Type, string Id, Dictionary<string, object?> Fields)
    {
        public object? this[string field] => Fields[field];

        public string? Text(string field) => (string?)Fields[field];

        /// <summary>A stable text form (fields sorted by name) to compare runs.</summary>
        public string Describe()
        {
            var builder = new StringBuilder(Type).Append(' ').Append(Id);
            foreach (var (name, value) in Fields.OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                builder.Append('|').Append(name).Append('=').Append(value?.GetType().Name).Append(':')
                    .Append(Convert.ToString(value, CultureInfo.InvariantCulture));
            }

            return builder.ToString();
        }
    }
}
