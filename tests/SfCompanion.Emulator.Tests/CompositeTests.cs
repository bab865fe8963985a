using System.Text.Json;

namespace SfCompanion.Emulator.Tests;

public class CompositeTests : OrgTestBase
{
    private const string Composite = Api + "/composite";

    private static object Get(string referenceId, string url) => new { method = "GET", url, referenceId };

    private static string Soql(string soql) => Uri.EscapeDataString(soql);

    [Fact]
    public async Task Subrequests_answer_in_order_and_the_whole_call_counts_once()
    {
        for (var i = 0; i < 5; i++)
        {
            InsertLead("L" + i);
        }

        var before = Org.Limits.ApiCallsUsed;
        var (status, body) = await SendAsync(HttpMethod.Post, Composite, new
        {
            allOrNone = false,
            compositeRequest = new[]
            {
                Get("lead", $"{Api}/queryAll?q={Soql("SELECT Id, LastName FROM Lead ORDER BY LastName")}"),
                Get("contact", $"{Api}/query?q={Soql("SELECT Id FROM Contact")}"),
                Get("limits", $"{Api}/limits"),
            },
        });

        Assert.Equal(200, status);
        Assert.Equal(before + 1, Org.Limits.ApiCallsUsed);
        var results = body.GetProperty("compositeResponse");
        Assert.Equal(["lead", "contact", "limits"], results.EnumerateArray().Select(r => r.GetProperty("referenceId").GetString()));
        Assert.All(results.EnumerateArray(), r => Assert.Equal(200, r.GetProperty("httpStatusCode").GetInt32()));
        Assert.Equal(JsonValueKind.Object, results[0].GetProperty("httpHeaders").ValueKind);
        Assert.Equal(5, results[0].GetProperty("body").GetProperty("totalSize").GetInt32());
        Assert.Equal("L0", results[0].GetProperty("body").GetProperty("records")[0].GetProperty("LastName").GetString());
        Assert.Equal(0, results[1].GetProperty("body").GetProperty("totalSize").GetInt32());
    }

    [Fact]
    public async Task Next_pages_are_followed_in_later_calls_with_the_batch_size_header()
    {
        for (var i = 0; i < 450; i++)
        {
            InsertLead("L" + i.ToString("000", System.Globalization.CultureInfo.InvariantCulture));
        }

        var headers = new Dictionary<string, string> { ["Sforce-Query-Options"] = "batchSize=200" };
        var (_, first) = await SendAsync(HttpMethod.Post, Composite, new
        {
            compositeRequest = new[] { new { method = "GET", url = $"{Api}/query?q={Soql("SELECT Id FROM Lead")}", referenceId = "lead", httpHeaders = headers } },
        });
        var page = first.GetProperty("compositeResponse")[0].GetProperty("body");
        Assert.Equal(200, page.GetProperty("records").GetArrayLength());
        var next = page.GetProperty("nextRecordsUrl").GetString()!;

        var (_, second) = await SendAsync(HttpMethod.Post, Composite, new
        {
            compositeRequest = new[] { new { method = "GET", url = next, referenceId = "lead", httpHeaders = headers } },
        });

        Assert.Equal(200, second.GetProperty("compositeResponse")[0].GetProperty("body").GetProperty("records").GetArrayLength());
    }

    [Fact]
    public async Task A_refused_subrequest_carries_salesforces_error_and_the_others_go_on()
    {
        Org.Data.RevokeAccess("Contact", "Email");
        Org.Data.RevokeAccess("Opportunity");

        var (status, body) = await SendAsync(HttpMethod.Post, Composite, new
        {
            compositeRequest = new[]
            {
                Get("contact", $"{Api}/queryAll?q={Soql("SELECT Id, Email FROM Contact")}"),
                Get("opportunity", $"{Api}/queryAll?q={Soql("SELECT Id FROM Opportunity")}"),
                Get("lead", $"{Api}/queryAll?q={Soql("SELECT Id FROM Lead")}"),
            },
        });

        Assert.Equal(200, status);
        var results = body.GetProperty("compositeResponse");
        Assert.Equal(400, results[0].GetProperty("httpStatusCode").GetInt32());
        Assert.Equal("INVALID_FIELD", results[0].GetProperty("body")[0].GetProperty("errorCode").GetString());
        Assert.Contains("No such column 'Email' on entity 'Contact'", results[0].GetProperty("body")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("INVALID_TYPE", results[1].GetProperty("body")[0].GetProperty("errorCode").GetString());
        Assert.Equal(200, results[2].GetProperty("httpStatusCode").GetInt32());
    }

    [Fact]
    public async Task References_to_earlier_results_and_all_or_none_halting()
    {
        var (_, body) = await SendAsync(HttpMethod.Post, Composite, new
        {
            compositeRequest = new object[]
            {
                new { method = "POST", url = $"{Api}/sobjects/Account", referenceId = "account", body = new { Name = "Acme" } },
                new { method = "POST", url = $"{Api}/sobjects/Contact", referenceId = "contact", body = new { LastName = "Martin", AccountId = "@{account.id}" } },
                Get("check", $"{Api}/sobjects/Contact/@{{contact.id}}?fields=AccountId"),
            },
        });
        var results = body.GetProperty("compositeResponse");
        Assert.Equal(201, results[0].GetProperty("httpStatusCode").GetInt32());
        Assert.StartsWith($"{Api}/sobjects/Account/", results[0].GetProperty("httpHeaders").GetProperty("Location").GetString(), StringComparison.Ordinal);
        Assert.Equal(results[0].GetProperty("body").GetProperty("id").GetString(), results[2].GetProperty("body").GetProperty("AccountId").GetString());

        var (_, halted) = await SendAsync(HttpMethod.Post, Composite, new
        {
            allOrNone = true,
            compositeRequest = new object[]
            {
                Get("lead", $"{Api}/query?q={Soql("SELECT Id FROM Lead")}"),
                Get("bad", $"{Api}/query?q={Soql("SELECT Nope FROM Lead")}"),
                Get("after", $"{Api}/limits"),
            },
        });
        var h = halted.GetProperty("compositeResponse");
        Assert.Equal(["PROCESSING_HALTED", "INVALID_FIELD", "PROCESSING_HALTED"], h.EnumerateArray().Select(r => r.GetProperty("body")[0].GetProperty("errorCode").GetString()));
        Assert.All(h.EnumerateArray(), r => Assert.Equal(400, r.GetProperty("httpStatusCode").GetInt32()));
    }

    [Fact]
    public async Task Limits_and_malformed_requests_are_refused_whole_and_still_count()
    {
        var before = Org.Limits.ApiCallsUsed;
        var (tooMany, tooManyBody) = await SendAsync(HttpMethod.Post, Composite, new
        {
            compositeRequest = Enumerable.Range(0, 26).Select(i => Get("r" + i, $"{Api}/limits")).ToArray(),
        });
        var (sixQueries, sixBody) = await SendAsync(HttpMethod.Post, Composite, new
        {
            compositeRequest = Enumerable.Range(0, 6).Select(i => Get("q" + i, $"{Api}/query?q={Soql("SELECT Id FROM Lead")}")).ToArray(),
        });
        var (noReference, noReferenceBody) = await SendAsync(HttpMethod.Post, Composite, new { compositeRequest = new[] { new { method = "GET", url = $"{Api}/limits" } } });
        var (header, headerBody) = await SendAsync(HttpMethod.Post, Composite, new
        {
            compositeRequest = new[] { new { method = "GET", url = $"{Api}/limits", referenceId = "a", httpHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer x" } } },
        });

        Assert.Equal((400, "LIMIT_EXCEEDED"), (tooMany, tooManyBody[0].GetProperty("errorCode").GetString()));
        Assert.Contains("25 subrequests", tooManyBody[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal((400, "LIMIT_EXCEEDED"), (sixQueries, sixBody[0].GetProperty("errorCode").GetString()));
        Assert.Contains("5 query or sObject Collections subrequests", sixBody[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal((400, "JSON_PARSER_ERROR"), (noReference, noReferenceBody[0].GetProperty("errorCode").GetString()));
        Assert.Equal((400, "INVALID_INPUT"), (header, headerBody[0].GetProperty("errorCode").GetString()));
        Assert.Equal(before + 4, Org.Limits.ApiCallsUsed);
    }

    [Fact]
    public async Task The_client_library_reads_query_pages_through_the_emulators_composite()
    {
        for (var i = 0; i < 3; i++)
        {
            InsertLead("L" + i);
        }

        await using var connection = Salesforce.SalesforceClientFactory.Create(new Salesforce.SalesforceOptions
        {
            LoginUrl = Org.BaseUrl,
            AuthFlow = Salesforce.SalesforceAuthFlow.ClientCredentials,
            ClientId = Org.ClientId,
            ClientSecret = Org.ClientSecret,
            ApiVersion = "62.0",
        });
        var results = await connection.Client.QueryCompositeAsync<Salesforce.SObjectRecord>(
        [
            new Salesforce.CompositeQuery { ReferenceId = "lead", Soql = "SELECT Id, LastName FROM Lead", IncludeDeleted = true },
            new Salesforce.CompositeQuery { ReferenceId = "nope", Soql = "SELECT Id FROM Nope__c" },
        ], Ct);

        Assert.Equal(3, results[0].Page!.Records.Count);
        Assert.Equal("INVALID_TYPE", results[1].Error!.ErrorCode);
        Assert.Equal(1, connection.Client.Calls.ApiCalls);
    }
}
