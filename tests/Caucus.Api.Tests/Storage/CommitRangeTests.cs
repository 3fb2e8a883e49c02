using Caucus.Api.Storage;

namespace Caucus.Api.Tests.Storage;

public sealed class CommitRangeTests
{
    [Theory]
    [InlineData("3-9", 3, 9)]
    [InlineData("12-12", 12, 12)]
    [InlineData("42", 42, 42)] // an instance from before ranges sends the highest seq alone
    public void A_commit_payload_reads_as_its_seq_range(string payload, long from, long to)
    {
        Assert.True(CommitRange.TryParse(payload, out var range));
        Assert.Equal(new CommitRange(from, to), range);
    }

    [Theory]
    [InlineData("")]
    [InlineData("9-3")]
    [InlineData("-3")]
    [InlineData("3-")]
    [InlineData("a-b")]
    [InlineData(null)]
    public void A_payload_that_is_no_range_is_refused(string? payload) => Assert.False(CommitRange.TryParse(payload, out _));

    [Fact]
    public void A_range_is_written_as_it_is_read() =>
        Assert.Equal("1001-1250", new CommitRange(1001, 1250).ToString());
}
