namespace SfCompanion.Storage;

/// <summary>The store cannot be used as configured; the message names the setting and the fix.</summary>
public sealed class StoreConfigurationException(string message, Exception? inner = null) : Exception(message, inner);
