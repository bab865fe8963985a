using SfCompanion.Sync;

namespace SfCompanion.IntegrationTests.Spine;

internal static class SpineData
{
    public static SyncOptions LeadsOnly(int bulkThreshold = 100_000) => new()
    {
        BulkThreshold = bulkThreshold,
        QueryBatchSize = 200,
        Objects = [new SyncObjectOptions { Name = "Lead", Fields = ["FirstName", "LastName", "Company", "Email", "Status", "HasOptedOutOfEmail", "NumberOfEmployees"], IndexedFields = ["Email"] }],
    };

    /// <summary>Inserts leads directly into the org (no API calls) and returns their ids in order.</summary>
    public static List<string> InsertLeads(SpineHarness harness, int count, int start = 0)
    {
        var ids = new List<string>(count);
        for (var i = start; i < start + count; i++)
        {
            ids.Add(harness.Org.Data.Insert("Lead", new Dictionary<string, object?>
            {
                ["FirstName"] = "Camille",
                ["LastName"] = "Martin " + i,
                ["Company"] = "Société " + (i % 50),
                ["Email"] = $"camille.martin{i}@exemple.fr",
                ["Status"] = "Open - Not Contacted",
                ["NumberOfEmployees"] = 10 + i,
            }));
        }

        return ids;
    }
}
