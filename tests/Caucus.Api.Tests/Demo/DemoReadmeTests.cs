using System.Text.RegularExpressions;
using Caucus.Api.Elections;
using Caucus.Api.Tests.Infrastructure;
using Caucus.Api.Tests.Processes;
using Caucus.Core.Definitions;
using Caucus.Core.Rules;

namespace Caucus.Api.Tests.Demo;

/// <summary>
/// The README's "Try it first" gives the demo command of every shipped election folder, one per rule set, and each is
/// played to the end by a test (named below, so a renamed test breaks this one rather than the README's word).
/// </summary>
public partial class DemoReadmeTests
{
    private static readonly IReadOnlyDictionary<string, string> PlayedBy = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [ShippedElections.Default] = nameof(DemoTests.A_demo_night_grows_in_public_as_a_rehearsal_with_hotline_double_entry_and_tosses_recorded_late),
        ["nevada-2020"] = nameof(NevadaDemoTests.The_Nevada_night_replays_to_the_end_with_the_county_delegates_verify_recomputes_and_the_review_and_exports_answer),
        ["mn-dfl-example"] = nameof(SyntheticDemoTests.The_walking_subcaucus_example_plays_a_synthetic_night_with_subcaucuses_named_on_the_night_to_the_end),
        ["iowa-gop-2024"] = nameof(SyntheticDemoTests.The_secret_ballot_folder_plays_a_synthetic_night_of_votes_whose_headline_is_the_statewide_allocation_of_their_sum),
    };

    [Fact]
    public void Try_it_first_gives_the_demo_of_every_shipped_folder_one_per_rule_set_each_played_by_a_test()
    {
        var readme = File.ReadAllText(Path.Combine(ApiProcess.FindRepoRoot(AppContext.BaseDirectory), "README.md"));
        var tryItFirst = readme[readme.IndexOf("## Try it first", StringComparison.Ordinal)..readme.IndexOf("## Set up your caucus night", StringComparison.Ordinal)];
        // `--demo` alone plays the default folder.
        var folders = DemoCommand().Matches(tryItFirst).Select(m => m.Groups["folder"].Success ? m.Groups["folder"].Value : ShippedElections.Default).ToList();
        Assert.Equal(ElectionSource.Shipped().Order(StringComparer.Ordinal), folders.Order(StringComparer.Ordinal));
        Assert.Equal(PlayedBy.Keys.Order(StringComparer.Ordinal), folders.Order(StringComparer.Ordinal));
        var ruleSets = folders.Select(f => ElectionSource.Load(ElectionSource.ShippedPath(f)).RuleSet.Name).ToList();
        Assert.Equal(RuleSets.Names.Order(StringComparer.Ordinal), ruleSets.Order(StringComparer.Ordinal));
    }

    [GeneratedRegex(@"^    dotnet run --project src/Caucus\.Api -- --demo(?: --election (?<folder>[a-z0-9-]+))?$", RegexOptions.Multiline)]
    private static partial Regex DemoCommand();
}
