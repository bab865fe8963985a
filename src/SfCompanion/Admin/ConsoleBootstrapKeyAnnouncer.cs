namespace SfCompanion.Admin;

/// <summary>Prints the generated key straight to standard output, never through logging (secrets stay out of logs).</summary>
internal sealed class ConsoleBootstrapKeyAnnouncer : IBootstrapKeyAnnouncer
{
    public void Announce(CreatedApiKey key)
    {
        var line = new string('=', 78);
        Console.Out.WriteLine(
            $"""
            {line}
              SfCompanion: first start, an admin API key was generated. It is shown ONLY NOW:

                {key.Secret}

              Use it as 'Authorization: Bearer <key>' or 'X-Api-Key: <key>' on /api endpoints,
              create other keys with POST /api/keys, and keep this one somewhere safe.
            {line}
            """);
        Console.Out.Flush();
    }
}
