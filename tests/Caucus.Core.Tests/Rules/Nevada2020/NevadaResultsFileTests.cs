using Caucus.Core.Rules.Nevada2020;

namespace Caucus.Core.Tests.Rules.Nevada2020;

/// <summary>Core's reader of the party's Nevada results feed: errors name the line and the column; good sites still read.</summary>
public class NevadaResultsFileTests
{
    private const string Header = "county,precinct,total_attendance,candidate,reported_del_given,align1,alignfinal,congressional_district,precinct_delegates,precinct_full,is_complete";

    [Fact]
    public void A_site_is_its_rows_grouped_by_precinct_full_with_NA_delegates_unknown()
    {
        var (sites, errors) = NevadaResultsFile.Parse(Header + "\n" +
            "CLARK,Harrahs,40,Biden,3,12,15,1,NA,CLARK-Harrahs,NA\n" +
            "CLARK,Harrahs,40,Sanders,5,28,25,1,NA,CLARK-Harrahs,NA\n" +
            "WHITE,7,10,Biden,0,0,0,2,3,WHITE-7,TRUE\n");
        Assert.Empty(errors);
        Assert.Equal(2, sites.Count);
        var harrahs = sites[0];
        Assert.Equal(("CLARK", "Harrahs", "CLARK-Harrahs", 40, (int?)null, 2), (harrahs.County, harrahs.Precinct, harrahs.Id, harrahs.Attendance, harrahs.PrecinctDelegates, harrahs.Line));
        Assert.Equal(28, harrahs.First["Sanders"]);
        Assert.Equal(15, harrahs.Final["Biden"]);
        Assert.Equal(5, harrahs.Reported["Sanders"]);
        Assert.False(harrahs.NoOneAligned);
        Assert.Equal(3, sites[1].PrecinctDelegates);
        Assert.True(sites[1].NoOneAligned);
    }

    [Fact]
    public void Bad_counts_disagreeing_rows_and_a_missing_column_are_errors_naming_them()
    {
        var (sites, errors) = NevadaResultsFile.Parse(Header + "\n" +
            "CLARK,1,40,Biden,x,12,15,1,5,CLARK-1,TRUE\n" +
            "CLARK,2,40,Biden,1,12,15,1,5,CLARK-2,TRUE\n" +
            "CLARK,2,41,Sanders,1,12,15,1,5,CLARK-2,TRUE\n" +
            "CLARK,3,40,Biden,1,12,15,1,5,CLARK-3,TRUE\n" +
            "CLARK,3,40,Biden,1,12,15,1,5,CLARK-3,TRUE\n" +
            "CLARK,4,40,Biden,1,12\n" +
            "CLARK,5,40,Biden,1,12,15,1,5,CLARK-5,TRUE\n");
        Assert.Equal("CLARK-5", Assert.Single(sites).Id);
        Assert.Equal(
            [(2, "reported_del_given must be a whole number of 0 or more, not 'x'"),
             (4, "total_attendance/precinct_delegates 41/5 differ from line 3's 40/5 for CLARK-2"),
             (6, "candidate Biden appears twice for CLARK-3"),
             (7, "expected 11 fields, found 6")],
            errors.Select(e => (e.Line, e.Reason)));

        var (none, headerError) = NevadaResultsFile.Parse("county,precinct,candidate\nCLARK,1,Biden\n");
        Assert.Empty(none);
        Assert.Equal("the header lacks total_attendance, reported_del_given, align1, alignfinal, precinct_delegates, precinct_full", Assert.Single(headerError).Reason);
    }
}
