using System.Runtime.ExceptionServices;
using Refit;

namespace SfCompanion.Salesforce;

internal static class RefitCalls
{
    /// <summary>
    /// Refit wraps exceptions thrown by handlers (budget refusals, auth failures, network errors) in
    /// <see cref="ApiRequestException"/>; callers of this library get the original exception.
    /// </summary>
    public static async Task<HttpResponseMessage> SendAsync(Func<Task<HttpResponseMessage>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (ApiRequestException ex) when (ex.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
            throw;
        }
    }
}
