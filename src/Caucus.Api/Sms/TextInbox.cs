using Caucus.Core.Text.Sms;
using System.Collections.Concurrent;
using System.Security.Claims;
using System.Text;
using Caucus.Api.Auth;
using Caucus.Api.Infrastructure;
using Caucus.Api.Reports;
using Caucus.Api.Results;
using Caucus.Api.Storage;
using Caucus.Core.Counting;
using Caucus.Core.Model;
using Microsoft.AspNetCore.Mvc;

namespace Caucus.Api.Sms;

/// <summary>
/// What happens to a text (README, "Reporting by text message"): from a number bound to a precinct credential, a report
/// text is read and read back (stored, nothing counted), and the YES that follows sends exactly the numbers read back,
/// as that credential, through the same ingest as the report page. Every text from a bound number is stored with its
/// reply; a gateway's retry of a message gets the first reply; a number not bound gets a neutral reply and a count.
/// </summary>
public sealed class TextInbox(ITextMessageStore texts, ResultsState state, ReportIngest ingest, SmsOptions options,
    SmsMetrics metrics, TimeProvider clock, CaucusOptions caucus, Photos.PhotoIntake photos, MmsMedia media)
{
    public const string UnknownNumber = "This number cannot report here. Call your county chair or the hotline.";
    public const string TooMany = "Too many texts from this number: wait a minute, or call the hotline.";

    private readonly ConcurrentDictionary<string, TokenBucket> _limits = new(StringComparer.Ordinal);
    private SmsCodes? _codes;

    /// <summary>The election's codes (built once: the election does not change while the service runs).</summary>
    public SmsCodes Codes => _codes ??= new SmsCodes(state.Election);

    public async Task<string> ReceiveAsync(InboundText message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var phone = PhoneNumbers.Normalise(message.From);
        var hash = phone is null ? null : PhoneNumbers.Hash(phone, options.HashKey);
        var token = hash is null ? null : await texts.FindTokenByPhoneAsync(hash, cancellationToken);
        var precinct = token is { RevokedAt: null, Role: Roles.Precinct, PrecinctId: { } id } ? state.Election.FindPrecinct(id) : null;
        if (hash is null || token is null || precinct is null)
        {
            metrics.Refused(SmsRefusal.UnknownNumber);
            return UnknownNumber;
        }
        if (await texts.FindTextAsync(message.Gateway, message.MessageId, cancellationToken) is { } earlier) return earlier.Message.Reply;

        var sender = new Sender(hash, token, precinct, CredentialPrincipal.Of(token, state.Election, "sms"));
        using var lease = Limit(token.Id).AttemptAcquire();
        if (!lease.IsAcquired)
        {
            metrics.Refused(SmsRefusal.RateLimited);
            return await StoreAsync(message, sender, TextKind.Other, TooMany, cancellationToken);
        }
        if (message.Media.Count > 0) return await PhotosAsync(message, sender, cancellationToken);
        return IsYes(message.Text)
            ? await ConfirmAsync(message, sender, cancellationToken)
            : await ReadAsync(message, sender, cancellationToken);
    }

    /// <summary>An MMS: each photo kept for the precinct (README, "Worksheet photos"), then its words read as any text.</summary>
    private async Task<string> PhotosAsync(InboundText message, Sender sender, CancellationToken cancellationToken)
    {
        var replies = new List<string>();
        foreach (var item in message.Media)
        {
            var (bytes, problem) = item.Bytes is { } given ? (given, null) : await media.FetchAsync(item.Url!, cancellationToken);
            var (_, _, refused) = bytes is null ? (null, false, null) : await photos.TakeAsync(sender.Precinct.Id, bytes, PhotoChannel.Mms, sender.Token.Id, cancellationToken);
            replies.Add(problem is not null ? $"Photo not kept: {problem}."
                : refused is not null ? $"Photo not kept: {refused.Message}"
                : $"Photo received for {ReadBack.Name(sender.Precinct)}.");
        }
        var said = string.Join(' ', replies);
        if (message.Text.Trim().Length == 0) return await StoreAsync(message, sender, TextKind.Other, said, cancellationToken);
        var words = message with { Media = [], ReplyPrefix = said + " " };
        return IsYes(words.Text) ? await ConfirmAsync(words, sender, cancellationToken) : await ReadAsync(words, sender, cancellationToken);
    }

    private sealed record Sender(string PhoneHash, StoredToken Token, Precinct Precinct, ClaimsPrincipal User);

    private static bool IsYes(string text) => text.Trim().TrimEnd('.', '!').ToUpperInvariant() is "YES" or "Y";

    private async Task<string> ReadAsync(InboundText message, Sender sender, CancellationToken cancellationToken)
    {
        var source = ApiJson.TryParse<ReportSource>(sender.User.FindFirstValue(Roles.SourceClaim), out var s) ? s : ReportSource.Captain;
        if (!state.Accepts(source))
        {
            return await StoreAsync(message, sender, TextKind.Report,
                "The results are certified: texts are no longer counted. Call headquarters.", cancellationToken);
        }
        var form = state.Election.RuleSet.Form;
        var reading = TextGrammar.Read(message.Text, Codes, form);
        if (reading.Report is not { } report)
        {
            return await StoreAsync(message, sender, TextKind.Report, $"{reading.Error} Nothing was sent.", cancellationToken);
        }
        if (Codes.FindPrecinct(report.PrecinctCode) != sender.Precinct)
        {
            return await StoreAsync(message, sender, TextKind.Report,
                $"This phone reports for {ReadBack.Name(sender.Precinct)}, code {Codes.PrecinctCodes[sender.Precinct.Id]}; the text starts with {report.PrecinctCode}. Nothing was sent.",
                cancellationToken);
        }
        // Read once without the chance's outcome, to learn which groups a T answers; then with it.
        var (body, result, error) = Compute(sender.Precinct, report, source, tie: null);
        if (result is { } untied && !report.TieWinners.IsEmpty)
        {
            (body, result, error) = untied.Allocation.Tie is { } tie && untied.Allocation.IsProvisional
                ? Compute(sender.Precinct, report, source, tie)
                : (body, null, "T: these numbers leave no tie to settle.");
        }
        if (result is null) return await StoreAsync(message, sender, TextKind.Report, $"{error} Nothing was sent.", cancellationToken);
        return await StoreAsync(message, sender, TextKind.Report, ReadBack.Of(result, report, form), cancellationToken, reportBody: body);
    }

    /// <summary>The report JSON a text reads as, and what the rules give it (or what is wrong with it, by field).</summary>
    private (string Body, Caucus.Core.Aggregation.PrecinctResult? Result, string? Error) Compute(Precinct precinct, TextReport report,
        ReportSource source, Caucus.Core.Allocation.PendingTie? tie)
    {
        var body = TextReportBody.Write(report, source, tie);
        var (parsed, errors) = ReportParser.Parse(body, state.Election.Candidates, state.Election.RuleSet.Form);
        if (parsed is null) return (body, null, Problems(errors));
        return ReportIngest.TryCompute(state.Election, precinct, parsed, out var result, out var problem)
            ? (body, result, null)
            : (body, null, Problems(problem.Errors));
    }

    private async Task<string> ConfirmAsync(InboundText message, Sender sender, CancellationToken cancellationToken)
    {
        var latest = await texts.LatestTextAsync(sender.PhoneHash, cancellationToken);
        var now = clock.GetUtcNow();
        if (latest is not { Message: { Kind: TextKind.Report, ReportBody: { } body } read }
            || now - read.ReceivedAt > TimeSpan.FromMinutes(options.ConfirmWithinMinutes))
        {
            return await StoreAsync(message, sender, TextKind.Other,
                "Nothing to send: text your numbers first; YES sends the last numbers read back to you.", cancellationToken);
        }
        var outcome = await ingest.SubmitAsync(sender.Precinct, new BodyBytes(Encoding.UTF8.GetBytes(body), tooLarge: false),
            $"sms-{latest.Seq}", sender.User, cancellationToken);
        var name = ReadBack.Name(sender.Precinct);
        var (reply, revision) = outcome switch
        {
            IngestOutcome.Accepted { Response.Held: { } held } a => ($"Received for {name}, revision {a.Response.Revision}: held for review ({held}). Headquarters will check it.", (long?)a.Response.Revision),
            IngestOutcome.Accepted { Replayed: true } a => ($"Already sent: {name}, revision {a.Response.Revision}.", a.Response.Revision),
            IngestOutcome.Accepted a => ($"Sent: {name}, revision {a.Response.Revision}. Thank you.", a.Response.Revision),
            IngestOutcome.Refused { Problem.Status: StatusCodes.Status409Conflict } => ("The results are certified: this text was not counted. Call headquarters.", null),
            IngestOutcome.Refused { Problem: HttpValidationProblemDetails v } => ($"Not sent: {Problems(v.Errors)}", null),
            IngestOutcome.Refused r => ($"Not sent: {r.Problem.Detail}", null),
            _ => ("Not sent: try again.", null),
        };
        return await StoreAsync(message, sender, TextKind.Confirm, reply, cancellationToken, confirms: latest.Seq, revision: revision);
    }

    private async Task<string> StoreAsync(InboundText message, Sender sender, TextKind kind, string reply, CancellationToken cancellationToken,
        string? reportBody = null, long? confirms = null, long? revision = null)
    {
        var stored = await texts.AppendTextAsync(new NewTextMessage(message.Gateway, message.MessageId, sender.PhoneHash, sender.Token.Id,
            sender.Precinct.Id, kind, Encoding.UTF8.GetBytes(message.Text), message.Request, reportBody, confirms, revision, message.ReplyPrefix + reply,
            clock.GetUtcNow()), cancellationToken);
        return stored.Message.Reply;
    }

    private TokenBucket Limit(string tokenId)
    {
        var n = caucus.Limits.PrecinctReportsPerMinute;
        return _limits.GetOrAdd(tokenId, _ => new TokenBucket(n, Math.Max(1, (n + 5) / 6), TimeSpan.FromSeconds(10), clock));
    }

    private static string Problems(IDictionary<string, string[]> errors) =>
        string.Join(" ", errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}")));
}
