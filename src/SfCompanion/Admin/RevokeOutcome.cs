namespace SfCompanion.Admin;

/// <summary>Why a revocation was refused.</summary>
public enum RevokeOutcome
{
    Revoked,
    NotFound,
    AlreadyRevoked,
    LastAdmin,
}
