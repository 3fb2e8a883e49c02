using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Caucus.LoadTests.Framework;

/// <summary>Facts about the machine, and CPU use over a window (Linux /proc; elsewhere left out).</summary>
internal static class Machine
{
    public static IEnumerable<string> Facts()
    {
        yield return $"Logical cores: {Environment.ProcessorCount}";
        if (ReadLine("/proc/cpuinfo", "model name") is { } cpu) yield return $"CPU: {cpu}";
        if (ReadLine("/proc/meminfo", "MemTotal") is { } mem && long.TryParse(mem.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], out var kb))
            yield return $"Memory: {kb / 1024.0 / 1024.0:0.0} GiB";
        yield return $"OS: {RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture})";
        yield return $"Runtime: {RuntimeInformation.FrameworkDescription}";
    }

    /// <summary>The 1/5/15-minute load averages, as /proc/loadavg gives them.</summary>
    public static string? LoadAverage()
    {
        try { return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    private static string? ReadLine(string path, string key)
    {
        try
        {
            return File.ReadLines(path).Where(l => l.StartsWith(key, StringComparison.Ordinal))
                .Select(l => l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim()).FirstOrDefault();
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    /// <summary>A process's resident memory now (VmRSS) and its peak so far (VmHWM), in KiB, from /proc/&lt;pid&gt;/status; null elsewhere.</summary>
    public static (long RssKb, long PeakKb)? Memory(int? pid)
    {
        if (pid is not { } p) return null;
        try
        {
            long Field(string[] lines, string key) =>
                long.Parse(lines.First(l => l.StartsWith(key, StringComparison.Ordinal))[(key.Length + 1)..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            var lines = File.ReadAllLines($"/proc/{p}/status");
            return (Field(lines, "VmRSS"), Field(lines, "VmHWM"));
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
        catch (InvalidOperationException) { return null; }
        catch (FormatException) { return null; }
    }

    /// <summary>The soft limit on open files of this process (/proc/self/limits), or null when unknown or unlimited.</summary>
    public static long? OpenFilesLimit()
    {
        if (ReadLine("/proc/self/limits", "Max open files") is not { } line) return null;
        var soft = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(w => w.All(char.IsDigit) || w == "unlimited");
        return soft is not null && long.TryParse(soft, out var n) ? n : null;
    }

    public sealed record CpuSample(long WallTicks, long? SystemBusy, long? SystemTotal, long? ApiJiffies, TimeSpan Self);

    public static CpuSample Sample(int? apiPid)
    {
        long? busy = null, total = null, api = null;
        try
        {
            // cpu  user nice system idle iowait irq softirq steal ...
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
            total = fields.Take(8).Sum();
            busy = total - fields[3] - fields[4];
            if (apiPid is { } pid)
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                var after = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                api = long.Parse(after[11]) + long.Parse(after[12]); // utime + stime (fields 14 and 15)
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        catch (FormatException) { }
        return new CpuSample(Stopwatch.GetTimestamp(), busy, total, api, Process.GetCurrentProcess().TotalProcessorTime);
    }

    /// <summary>
    /// Machine busy share (all cores), API and runner CPU as a share of one core, and the API's CPU seconds (utime + stime),
    /// between two samples.
    /// </summary>
    public static (double? MachineBusy, double? ApiCores, double RunnerCores, double? ApiSeconds) Between(CpuSample a, CpuSample b)
    {
        var seconds = (b.WallTicks - a.WallTicks) / (double)Stopwatch.Frequency;
        double? machine = a.SystemTotal is { } t0 && b.SystemTotal is { } t1 && t1 > t0 ? (b.SystemBusy - a.SystemBusy) / (double)(t1 - t0) : null;
        const double jiffiesPerSecond = 100; // USER_HZ on Linux
        double? api = a.ApiJiffies is { } j0 && b.ApiJiffies is { } j1 && seconds > 0 ? (j1 - j0) / jiffiesPerSecond / seconds : null;
        var runner = seconds > 0 ? (b.Self - a.Self).TotalSeconds / seconds : 0;
        double? apiSeconds = a.ApiJiffies is { } s0 && b.ApiJiffies is { } s1 ? (s1 - s0) / jiffiesPerSecond : null;
        return (machine, api, runner, apiSeconds);
    }
}
