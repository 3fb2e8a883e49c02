using System.Diagnostics;
using Caucus.Api.Stream;
using CsCheck;

namespace Caucus.Api.Tests.Stream;

/// <summary>
/// A listener's wait after a send: it lands on the listener's own slot of the 200 ms cycle, never sooner than 100 ms,
/// so listeners spread over the cycle (the first of them shows a new version at once) and none sends twice within 100 ms.
/// </summary>
public class StreamSlotTests
{
    private static readonly long Cycle = TimeSpan.FromMilliseconds(200).Ticks;

    [Fact]
    public void The_wait_ends_on_the_listeners_slot_between_half_a_cycle_and_one_and_a_half()
    {
        Gen.Select(Gen.Long[0, Cycle - 1], Gen.Long[0, long.MaxValue / 4]).Sample((slot, timestamp) =>
        {
            var wait = StreamApi.UntilNextSlot(slot, timestamp).Ticks;
            var now = Stopwatch.GetElapsedTime(0, timestamp).Ticks;
            Assert.InRange(wait, Cycle / 2, Cycle + Cycle / 2 - 1);
            Assert.Equal(slot, (now + wait) % Cycle);
        });
    }

    [Fact]
    public void Listeners_on_different_slots_send_at_different_moments()
    {
        var timestamp = Stopwatch.GetTimestamp();
        var early = StreamApi.UntilNextSlot(TimeSpan.FromMilliseconds(10).Ticks, timestamp).Ticks;
        var late = StreamApi.UntilNextSlot(TimeSpan.FromMilliseconds(110).Ticks, timestamp).Ticks;
        // Half a cycle apart, whichever comes first.
        Assert.Equal(Cycle / 2, ((late - early) % Cycle + Cycle) % Cycle);
    }
}
