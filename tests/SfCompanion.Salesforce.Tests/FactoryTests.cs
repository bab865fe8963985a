using System.Globalization;
using System.Net;
using System.Text;

namespace SfCompanion.Salesforce.Tests;

public class FactoryTests
{
    /// <summary>An in-memory org: token endpoint plus an endless query that generates pages on demand.</summary>
    private sealed class InMemoryOrg(int pages, int pageSize) : HttpMessageHandler
    {
        public int QueryCalls;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.AbsolutePath;
            if (path == "/services/oauth2/token")
            {
                return Task.FromResult(Respond("""{"access_token":"T","instance_url":"https://acme.my.salesforce.com","id":"x","token_type":"Bearer"}"""));
            }

            var page = path.EndsWith("/query", StringComparison.Ordinal) ? 0 : int.Parse(path[(path.LastIndexOf('-') + 1)..], CultureInfo.InvariantCulture);
            Interlocked.Increment(ref QueryCalls);
            var next = page + 1 < pages ? $"\"nextRecordsUrl\":\"/services/data/v66.0/query/01gXX-{page + 1}\"," : "";
            var records = string.Join(",", Enumerable.Range(page * pageSize, pageSize).Select(i => $$"""{"attributes":{"type":"Lead","url":"/l/{{i}}"},"Id":"L{{i}}"}"""));
            return Task.FromResult(Respond($$"""{"totalSize":{{pages * pageSize}},"done":{{(next.Length == 0 ? "true" : "false")}},{{next}}"records":[{{records}}]}"""));
        }

        private static HttpResponseMessage Respond(string json) =>
            new(HttpStatusCode.OK) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
    }

    [Fact]
    public async Task Create_with_an_in_memory_handler_streams_lazily_page_by_page()
    {
        using var org = new InMemoryOrg(pages: 50, pageSize: 200);
        using var connection = SalesforceClientFactory.Create(
            new SalesforceOptions { LoginUrl = "https://acme.my.salesforce.com", AuthFlow = SalesforceAuthFlow.ClientCredentials, ClientId = "k", ClientSecret = "s" },
            org);

        await using var records = connection.Client.QueryAsync("SELECT Id FROM Lead", cancellationToken: TestContext.Current.CancellationToken).GetAsyncEnumerator(TestContext.Current.CancellationToken);
        for (var i = 0; i < 250; i++)
        {
            Assert.True(await records.MoveNextAsync());
            Assert.Equal($"L{i}", records.Current.Id);
        }

        // Only the pages consumed so far were fetched: nothing buffers the whole result set.
        Assert.Equal(2, org.QueryCalls);
        var count = 250;
        while (await records.MoveNextAsync())
        {
            count++;
        }

        Assert.Equal(10_000, count);
        Assert.Equal(50, org.QueryCalls);
        Assert.Equal(50, connection.Client.Calls.ApiCalls);
    }
}
