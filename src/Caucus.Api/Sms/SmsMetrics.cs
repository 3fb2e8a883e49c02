using System.Diagnostics.Metrics;

namespace Caucus.Api.Sms;

/// <summary>Why a gateway request or a text was not taken as a report from a bound number.</summary>
public enum SmsRefusal
{
    /// <summary>No valid signature (or the webhook is off): nothing read, nothing stored.</summary>
    Signature,

    /// <summary>Not a gateway request we can read (form fields or JSON missing, too large).</summary>
    Malformed,

    /// <summary>From a number bound to no live precinct credential: a neutral reply, nothing stored.</summary>
    UnknownNumber,

    /// <summary>The credential's per-minute limit: the reply says so, and the text is stored.</summary>
    RateLimited,
}

/// <summary>Counts of refused texts and requests (<c>caucus.sms.refused</c> by reason), readable by the tests.</summary>
public sealed class SmsMetrics
{
    private readonly Counter<long> _refused;
    private readonly long[] _counts = new long[Enum.GetValues<SmsRefusal>().Length];

    public SmsMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _refused = meterFactory.Create(Infrastructure.CaucusMetrics.MeterName).CreateCounter<long>("caucus.sms.refused", "{request}",
            "SMS webhook requests refused (bad signature, unreadable) and texts not taken (unknown number, rate limit), by reason.");
    }

    public void Refused(SmsRefusal reason)
    {
        Interlocked.Increment(ref _counts[(int)reason]);
        _refused.Add(1, new KeyValuePair<string, object?>("reason", reason.ToString()));
    }

    public long RefusedCount(SmsRefusal reason) => Interlocked.Read(ref _counts[(int)reason]);
}
