using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace SfCompanion.WebConsole.Rules;

/// <summary>
/// Renders a console component to HTML outside a page, with the request's services (its language included): the live
/// preview sends back the very fragment the page renders after a "Preview" submit, so both paths show the same figures.
/// </summary>
public static class ComponentHtml
{
    public static async Task<string> RenderAsync<TComponent>(HttpContext context, IDictionary<string, object?> parameters)
        where TComponent : IComponent
    {
        ArgumentNullException.ThrowIfNull(context);
        await using var renderer = new HtmlRenderer(context.RequestServices, context.RequestServices.GetRequiredService<ILoggerFactory>());
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(parameters));
            return output.ToHtmlString();
        });
    }
}
