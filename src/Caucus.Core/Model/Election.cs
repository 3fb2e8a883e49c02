using System.Collections.Frozen;
using System.Collections.Immutable;
using Caucus.Core.Rules;

namespace Caucus.Core.Model;

/// <summary>An election definition: candidates (preference groups), counties and precincts, and its rule set.</summary>
public sealed class Election
{
    private readonly FrozenDictionary<string, Precinct> _precinctsById;
    private readonly FrozenDictionary<string, County> _countiesByName;
    private readonly FrozenDictionary<string, ImmutableArray<Precinct>> _precinctsByCounty;

    public Election(string id, string name, IRuleSet ruleSet, IEnumerable<string> candidates,
        IEnumerable<County> counties, IEnumerable<Precinct> precincts, DateOnly? date = null)
    {
        Date = date;
        Id = id;
        Name = name;
        RuleSet = ruleSet;
        Candidates = [.. candidates];
        Counties = [.. counties];
        Precincts = [.. precincts];
        _precinctsById = Precincts.ToFrozenDictionary(p => p.Id, StringComparer.Ordinal);
        _countiesByName = Counties.ToFrozenDictionary(c => c.Name, StringComparer.Ordinal);
        _precinctsByCounty = Precincts.GroupBy(p => p.County, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.ToImmutableArray(), StringComparer.Ordinal);
    }

    public string Id { get; }
    public string Name { get; }

    /// <summary>Caucus night, when the definition names it (election.json's "date"): exports need the election's date.</summary>
    public DateOnly? Date { get; }
    public IRuleSet RuleSet { get; }
    public ImmutableArray<string> Candidates { get; }
    public ImmutableArray<County> Counties { get; }
    public ImmutableArray<Precinct> Precincts { get; }

    /// <summary>The state's two-digit Census FIPS code (election.json's "stateFips"): which county outlines its map draws.</summary>
    public string? StateFips { get; init; }

    /// <summary>
    /// A complete published results file in the folder, in the rule set's published format (election.json's
    /// "publishedResults"): the night the demo replays. Not part of the definition itself.
    /// </summary>
    public string? PublishedResultsFile { get; init; }

    public Precinct? FindPrecinct(string id) => _precinctsById.GetValueOrDefault(id);

    public County? FindCounty(string name) => _countiesByName.GetValueOrDefault(name);

    public County CountyOf(Precinct precinct) => _countiesByName[precinct.County];

    /// <summary>The congressional districts (and the out-of-state satellites' "district"), in the order their counties first appear.</summary>
    public IEnumerable<string> Districts => Counties.Select(c => c.District).Distinct(StringComparer.Ordinal);

    public ImmutableArray<Precinct> PrecinctsIn(string county) =>
        _precinctsByCounty.TryGetValue(county, out var list) ? list : [];

    /// <summary>The same election counted under another rule set (e.g. the other satellite weighting).</summary>
    public Election WithRuleSet(IRuleSet ruleSet) => new(Id, Name, ruleSet, Candidates, Counties, Precincts, Date)
    {
        StateFips = StateFips,
        PublishedResultsFile = PublishedResultsFile,
    };
}
