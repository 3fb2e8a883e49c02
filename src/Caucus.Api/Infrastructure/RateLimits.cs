using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Caucus.Api.Auth;
using Microsoft.AspNetCore.RateLimiting;

namespace Caucus.Api.Infrastructure;

/// <summary>
/// Per-credential limits (ASP.NET Core's rate limiter, partitioned by the token id claim): reports, previews and
/// audit pages per minute by role, a token bucket each, so a precinct can send a burst of corrections and then keeps a steady
/// rate. Admin credentials are exempt unless <c>Caucus:Limits:AdminExempt</c> is off (then they get the hotline's).
/// Refusals are 429 with Retry-After and problem details; they are logged, not stored (a flood must not fill the
/// audit trail it would be recorded in).
/// </summary>
public static class RateLimits
{
    public const string Reports = "reports";
    public const string Previews = "previews";
    public const string AuditReads = "audit-reads";

    /// <summary>The bucket refills in this many steps a minute.</summary>
    private const int StepsPerMinute = 6;

    public static IServiceCollection AddCaucusRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<CaucusOptions, TimeProvider>((o, caucus, time) =>
        {
            var limits = caucus.Limits;
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = OnRejectedAsync;
            o.AddPolicy(Reports, context => PerCredential(context, limits, time, role => role switch
            {
                Roles.Precinct => limits.PrecinctReportsPerMinute,
                _ => limits.HotlineReportsPerMinute,
            }));
            o.AddPolicy(Previews, context => PerCredential(context, limits, time, _ => limits.PreviewsPerMinute));
            o.AddPolicy(AuditReads, context => PerCredential(context, limits, time, _ => limits.AuditReadsPerMinute));
        });
        services.AddSingleton<StreamLimits>();
        return services;
    }

    /// <summary>True when this user is not limited at all: an admin while admins are exempt.</summary>
    public static bool IsExempt(ClaimsPrincipal user, LimitOptions limits) =>
        (limits ?? throw new ArgumentNullException(nameof(limits))).AdminExempt && user?.IsInRole(Roles.Admin) == true;

    private static RateLimitPartition<string> PerCredential(HttpContext context, LimitOptions limits, TimeProvider time, Func<string, int> perMinute)
    {
        var user = context.User;
        // Only signed-in credentials reach these endpoints (authorisation runs first); anything else is not ours to limit.
        if (IsExempt(user, limits) || user.FindFirstValue(Roles.TokenIdClaim) is not { } tokenId) return RateLimitPartition.GetNoLimiter("");
        var n = perMinute(user.FindFirstValue(ClaimTypes.Role) ?? "");
        // Our bucket on the app's clock, not GetTokenBucketLimiter (whose refill only a real minute can drive): same rule.
        return RateLimitPartition.Get(tokenId, _ => new TokenBucket(n, Math.Max(1, (n + StepsPerMinute - 1) / StepsPerMinute),
            TimeSpan.FromMinutes(1) / StepsPerMinute, time));
    }

    private static async ValueTask OnRejectedAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1) / StepsPerMinute;
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RateLimits))
            .LogWarning("Rate limit: {Token} ({Role}) from {Client} refused for {Method} {Path}.", context.User.FindFirstValue(Roles.TokenIdClaim),
                context.User.FindFirstValue(ClaimTypes.Role), ClientAddress.Of(context), context.Request.Method, context.Request.Path);
        await WriteTooManyAsync(context, retryAfter, "Too many requests",
            "This credential sent more than its limit; wait for Retry-After seconds. A retry with the same Idempotency-Key is safe.");
    }

    /// <summary>429 with Retry-After (whole seconds, at least 1) and problem details.</summary>
    public static Task WriteTooManyAsync(HttpContext context, TimeSpan retryAfter, string title, string detail)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Headers.RetryAfter = Math.Max(1, Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return Problems.Write(context, StatusCodes.Status429TooManyRequests, title, detail);
    }
}

/// <summary>
/// Concurrent streams: at most <c>StreamsPerCredential</c> per credential and <c>StreamsPerAddress</c> per client
/// address (a chained pair of concurrency limiters: both must have room), each held for as long as the stream is open.
/// </summary>
public sealed class StreamLimits : IDisposable
{
    private readonly PartitionedRateLimiter<HttpContext> _limiter;
    private readonly LimitOptions _limits;

    public StreamLimits(CaucusOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _limits = options.Limits;
        var perCredential = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            context.User.FindFirstValue(Roles.TokenIdClaim) is { } tokenId && !RateLimits.IsExempt(context.User, _limits)
                ? RateLimitPartition.GetConcurrencyLimiter(tokenId, _ => new ConcurrencyLimiterOptions { PermitLimit = _limits.StreamsPerCredential, QueueLimit = 0 })
                : RateLimitPartition.GetNoLimiter(""));
        var perAddress = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            RateLimits.IsExempt(context.User, _limits)
                ? RateLimitPartition.GetNoLimiter("")
                : RateLimitPartition.GetConcurrencyLimiter(ClientAddress.Of(context), _ => new ConcurrencyLimiterOptions { PermitLimit = _limits.StreamsPerAddress, QueueLimit = 0 }));
        _limiter = PartitionedRateLimiter.CreateChained(perCredential, perAddress);
    }

    /// <summary>The endpoint filter: holds a permit for the stream's lifetime, or answers 429.</summary>
    public async ValueTask<object?> HoldAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        ArgumentNullException.ThrowIfNull(next);
        var context = invocation.HttpContext;
        using var lease = _limiter.AttemptAcquire(context);
        if (!lease.IsAcquired)
        {
            await RateLimits.WriteTooManyAsync(context, TimeSpan.FromSeconds(10), "Too many streams",
                $"This credential or address already holds its limit of open streams ({_limits.StreamsPerCredential} per credential, " +
                $"{_limits.StreamsPerAddress} per address); close one or try again later.");
            return Microsoft.AspNetCore.Http.Results.Empty;
        }
        return await next(invocation);
    }

    public void Dispose() => _limiter.Dispose();
}
