using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using SfCompanion.Storage;

namespace SfCompanion.Admin;

/// <summary>Why a revocation was refused.</summary>
public enum RevokeOutcome
{
    Revoked,
    NotFound,
    AlreadyRevoked,
    LastAdmin,
}
