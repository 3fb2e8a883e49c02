using System.Security.Cryptography;
using Caucus.Api.Auth;
using Caucus.Api.Infrastructure;
using Caucus.Api.Review;
using Caucus.Api.Sms;
using Caucus.Api.Storage;
using Caucus.Core.Model;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Caucus.Api.Admin;

public sealed record TokenRequest(string? Role, string? Precinct, string? Source = null, string? Phone = null);

/// <summary>A phone number to bind to a precinct credential (its captain's or chair's, for reporting by text).</summary>
public sealed record PhoneRequest(string? Phone);

/// <summary>The token is shown once, here; only its hash is stored.</summary>
public sealed record TokenResponse(string Token, string Id, string Role, string? Precinct, string? Source = null);

/// <summary>
/// A credential as admins see it: never the token nor its hash. <see cref="RevokedAt"/> is null while it works.
/// <see cref="Name"/> is what the review queue calls its sender ("Hotline operator 2"); the list sends it, a revocation's answer does not.
/// </summary>
public sealed record CredentialDocument(string Id, string Role, string? Precinct, string? Source, DateTimeOffset IssuedAt, DateTimeOffset? RevokedAt,
    string? RevokedBy, string? Name = null)
{
    /// <summary>A phone number is bound to it now (reporting by text message); the number itself is never stored.</summary>
    public bool PhoneBound { get; init; }
}

/// <summary>Every issued credential, oldest first. The <c>CAUCUS_ADMIN_TOKEN</c> credential is not stored and not listed.</summary>
public sealed record CredentialsDocument(IReadOnlyList<CredentialDocument> Tokens);

/// <summary>/api/v1/admin/tokens (admin): issue, list and revoke credentials.</summary>
public static class TokensApi
{
    private const int TokenRequestLimit = 4096;

    public static RouteGroupBuilder MapTokens(this RouteGroupBuilder group)
    {
        group.RequireAuthorization(Policies.Admin).WithTags("Admin");
        group.MapPost("", IssueToken).WithSummary("Issue a bearer token (shown once).");
        group.MapGet("", List).WithSummary("Every issued credential, with its revocation if any (never a token or its hash).");
        group.MapPut("/{id}/phone", BindPhone).ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Bind a phone number to a precinct credential (stored hashed); binding a number again moves it to this credential.");
        group.MapDelete("/{id}", Revoke).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Revoke a credential: refused everywhere within a second, its streams closed. Revoking again answers the same.");
        return group;
    }

    private static async Task<Results<Created<TokenResponse>, ValidationProblem>> IssueToken(
        HttpContext context, ICaucusStore store, ITextMessageStore texts, SmsOptions sms, TokenCache tokens, Election election, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var fields = JsonText.ReadStringFields(await RequestBody.ReadTextAsync(context.Request, TokenRequestLimit, cancellationToken), TokenRequestLimit,
            ["role", "precinct", "source", "phone"], errors);
        if (fields is null) return TypedResults.ValidationProblem(errors);
        var request = new TokenRequest(fields.GetValueOrDefault("role"), fields.GetValueOrDefault("precinct"), fields.GetValueOrDefault("source"), fields.GetValueOrDefault("phone"));
        var precinct = request.Precinct is null ? null : election.FindPrecinct(request.Precinct);
        if (request.Role is null || !Roles.All.Contains(request.Role))
            errors["role"] = [$"role must be one of {string.Join(", ", Roles.All)}."];
        else if (request.Role == Roles.Precinct && precinct is null)
            errors["precinct"] = ["A precinct token needs the id of an existing precinct or satellite."];
        else if (request.Role != Roles.Precinct && request.Precinct is not null)
            errors["precinct"] = ["Only precinct tokens are bound to a precinct."];
        else if (request.Role != Roles.Precinct && request.Source is not null)
            errors["source"] = ["Only precinct tokens are issued for a source; the others' roles say what they may report as."];
        else if (request.Source is not null && !TokenSources.Allowed.Any(s => ApiJson.Name(s) == request.Source))
            errors["source"] = ["source must be captain or chair."];
        string? phoneHash = null;
        if (request.Phone is not null && errors.Count == 0 && PhoneProblem(request.Role == Roles.Precinct, request.Phone, sms, out phoneHash) is { } phoneProblem)
            errors["phone"] = [phoneProblem];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var token = "cau_" + Base64Url(RandomNumberGenerator.GetBytes(32));
        var source = request.Role == Roles.Precinct ? request.Source ?? TokenSources.DefaultFor(precinct) : null;
        var stored = new StoredToken("tok_" + Base64Url(RandomNumberGenerator.GetBytes(9)), Hashing.Sha256Hex(token), request.Role!,
            request.Role == Roles.Precinct ? precinct!.Id : null, clock.GetUtcNow(), source);
        await store.InsertTokenAsync(stored, cancellationToken);
        if (phoneHash is not null) await texts.BindPhoneAsync(new PhoneBinding(phoneHash, stored.Id, Actor(context), stored.CreatedAt), cancellationToken);
        tokens.Remember(stored);
        return TypedResults.Created($"/api/v1/admin/tokens/{stored.Id}", new TokenResponse(token, stored.Id, stored.Role, stored.PrecinctId, stored.Source));
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> BindPhone(string id,
        HttpContext context, ICaucusStore store, ITextMessageStore texts, SmsOptions sms, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var fields = JsonText.ReadStringFields(await RequestBody.ReadTextAsync(context.Request, TokenRequestLimit, cancellationToken), TokenRequestLimit,
            ["phone"], errors);
        if (fields is null) return TypedResults.ValidationProblem(errors);
        var token = (await store.ListTokensAsync(cancellationToken)).FirstOrDefault(t => t.Id == id);
        if (token is null) return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown credential", detail: $"No credential has the id '{id}'.");
        if (PhoneProblem(token.Role == Roles.Precinct, fields.GetValueOrDefault("phone"), sms, out var hash) is { } problem)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["phone"] = [problem] });
        await texts.BindPhoneAsync(new PhoneBinding(hash!, id, Actor(context), clock.GetUtcNow()), cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>Why this phone number cannot be bound, or null with its hash.</summary>
    private static string? PhoneProblem(bool precinctCredential, string? phone, SmsOptions sms, out string? hash)
    {
        hash = null;
        if (!precinctCredential) return "Only a precinct credential (a captain's or chair's) reports by text.";
        if (!sms.Enabled) return "Texts are off: set Caucus:Sms:TwilioAuthToken or Caucus:Sms:SharedSecret first.";
        if (PhoneNumbers.Normalise(phone) is not { } normalised) return "phone must be a phone number, e.g. +1 515 555 0100.";
        hash = PhoneNumbers.Hash(normalised, sms.HashKey);
        return null;
    }

    private static string Actor(HttpContext context) =>
        context.User.FindFirst(Roles.TokenIdClaim)?.Value ?? TokenCache.EnvironmentAdminId;

    private static async Task<Ok<CredentialsDocument>> List(ICaucusStore store, ITextMessageStore texts, Election election, CancellationToken cancellationToken)
    {
        var tokens = await store.ListTokensAsync(cancellationToken);
        var names = new OperatorNames(tokens, election);
        var phones = await texts.TokensWithPhonesAsync(cancellationToken);
        return TypedResults.Ok(new CredentialsDocument([.. tokens.Select(t => Document(t, election) with { Name = names.Of(t.Id), PhoneBound = phones.Contains(t.Id) })]));
    }

    /// <summary>
    /// Revokes a stored credential: refused here at once (before the answer), on every other instance within a second
    /// (NOTIFY, and their poll), its open streams closed. Idempotent: revoking again answers 200 with the first
    /// revocation. The environment's admin token is not stored, so it cannot be revoked: 409 saying how to replace it.
    /// </summary>
    private static async Task<Results<Ok<CredentialDocument>, ProblemHttpResult>> Revoke(string id, HttpContext context,
        ICaucusStore store, RevokedCredentials revoked, Election election, TimeProvider clock, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (id == TokenCache.EnvironmentAdminId)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The environment's admin token cannot be revoked",
                detail: "env-admin is the token in CAUCUS_ADMIN_TOKEN, which is not stored: to replace it, set a new CAUCUS_ADMIN_TOKEN and restart every instance.");
        }

        var actor = context.User.FindFirst(Roles.TokenIdClaim)?.Value ?? TokenCache.EnvironmentAdminId;
        switch (await store.RevokeTokenAsync(id, actor, clock.GetUtcNow(), cancellationToken))
        {
            case RevocationOutcome.Revoked { Token: var token, Revocation: var revocation }:
                if (revoked.Revoke(id))
                {
                    loggers.CreateLogger(typeof(TokensApi)).LogInformation("Credential {TokenId} ({Role}, {Precinct}) revoked by {RevokedBy} at {RevokedAt:O}.",
                        id, token.Role, token.PrecinctId ?? "no precinct", revocation.RevokedBy, revocation.RevokedAt);
                }
                return TypedResults.Ok(Document(token, election));
            case RevocationOutcome.UnknownToken:
                return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown credential",
                    detail: $"No issued credential has the id '{id}'.");
            default:
                throw new InvalidOperationException("Unexpected revocation outcome.");
        }
    }

    // A precinct token issued before schema 0005 has no stored source: it reports as its precinct's default.
    private static CredentialDocument Document(TokenListing token, Election election) => new(token.Id, token.Role, token.PrecinctId,
        token.PrecinctId is null ? null : token.Source ?? TokenSources.DefaultFor(election.FindPrecinct(token.PrecinctId)), token.CreatedAt,
        token.RevokedAt, token.RevokedBy);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
