namespace SfCompanion.Emulator;

/// <summary>
/// A person of the emulated org who signs in interactively (the authorization code flow's login page) with
/// <see cref="Password"/>; <see cref="PermissionSets"/> are assigned to them at start (each is created when missing).
/// </summary>
public sealed record EmulatorUser(string Username, string FirstName, string LastName, string Password, IReadOnlyList<string> PermissionSets);
