using System.Globalization;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;

namespace HierReason.Core.Tasks;

/// <summary>What kind of thing an entity of a <see cref="MultiHopWorld"/> is.</summary>
public enum EntityKind
{
    Person,
    City,
    Country,
    Company,
    River,
}

/// <summary>
/// A relation a lookup hop follows, from the entity the hop starts at to the one it finds. Every relation is
/// a function: <c>capital</c> goes country → its capital city, <c>river</c> goes city → the river through it,
/// <c>founded_year</c> ends at a year rather than an entity.
/// </summary>
public enum LookupRelation
{
    BornIn,
    Spouse,
    Employer,
    LocatedIn,
    River,
    Capital,
    FoundedBy,
    HeadquarteredIn,
    FoundedYear,
}

/// <summary>
/// Which world a <c>multi_hop_lookup</c> item lives in: it is rebuilt exactly from these fields, so a retrieval
/// index built from <see cref="MultiHopWorld.Build"/> of the same spec holds the documents the item's hops cite.
/// </summary>
public sealed record MultiHopWorldSpec(string Split, long Seed, int Countries, int Cities, int People, int Companies, int Rivers, int PassingMentions)
{
    /// <summary>The world spec of a config in a split.</summary>
    public static MultiHopWorldSpec Of(MultiHopLookupConfig config, Split split) => new(
        split.Name(), config.WorldSeed, config.Countries, config.Cities, config.People, config.Companies, config.Rivers, config.PassingMentions);

    /// <summary>A short stable id, e.g. <c>test/0/3fa2c1d0</c>: split, world seed, hash of the size knobs.</summary>
    public string Id => string.Create(CultureInfo.InvariantCulture, $"{Split}/{Seed}/{(uint)(SizeHash() ^ ((ulong)PassingMentions * 0x9E3779B97F4A7C15UL)):x8}");

    /// <summary>A hash of the knobs that shape the entities and relations (not the passing mentions).</summary>
    internal ulong SizeHash()
    {
        Span<int> knobs = [Countries, Cities, People, Companies, Rivers];
        return XxHash3.HashToUInt64(MemoryMarshal.AsBytes(knobs));
    }
}

/// <summary>One document of a world's corpus: one per entity, 2–5 template sentences about it.</summary>
public sealed record MultiHopDocument(string Id, string Title, string Contents)
{
    /// <summary>The document as Search-R1's corpus JSONL writes <c>contents</c>: the quoted title, a newline, the text.</summary>
    public string SearchR1Contents => $"\"{Title}\"\n{Contents}";

    /// <summary>The document as Search-R1 shows a retrieved passage: <c>Doc 1(Title: "T") text</c>.</summary>
    public string Passage(int rank) => string.Create(CultureInfo.InvariantCulture, $"Doc {rank}(Title: \"{Title}\") {Contents}");
}

/// <summary>
/// A procedurally generated knowledge base of fictional people, cities, countries, companies and rivers, with one
/// document per entity. Names come from a syllable generator and each name is kept only if it hashes to the
/// world's split, so the worlds of different splits share no entity name.
/// </summary>
public sealed class MultiHopWorld
{
    private const int NoEntity = -1;

    private static readonly string[] Onsets = ["b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "dr", "kr", "tr", "st", "th", "sh", "qu", "h", "j"];
    private static readonly string[] Vowels = ["a", "e", "i", "o", "u", "ae", "ia", "ou", "ei"];
    private static readonly string[] Codas = ["n", "r", "s", "l", "k", "th", "x", "m"];
    private static readonly string[] CountrySuffixes = ["ia", "ara", "and", "esh", "ovia", "ant"];
    private static readonly string[] CitySuffixes = ["ton", "holm", "grad", "mouth", "field", "port", "by", ""];
    private static readonly string[] CompanyWords = ["Labs", "Works", "Systems", "Holdings", "Foundry", "Dynamics", "Textiles", "Mills", "Freight", "Instruments"];
    private static readonly string[] Occupations = ["an engineer", "a teacher", "a painter", "a sailor", "a baker", "a lawyer", "a chemist", "a pilot", "a carpenter", "a librarian"];

    private readonly EntityKind[] _kinds;
    private readonly string[] _names;
    private readonly int[][] _relations; // [relation][entity] → object entity (or year for founded_year), NoEntity where none
    private readonly Dictionary<string, int> _byDocId;
    private readonly int[][][] _subjects; // [relation][object] → the entities whose relation points at it (not for founded_year)
    private readonly int[][] _byKind;

    private MultiHopWorld(MultiHopWorldSpec spec, EntityKind[] kinds, string[] names, int[][] relations, MultiHopDocument[] documents)
    {
        Spec = spec;
        _kinds = kinds;
        _names = names;
        _relations = relations;
        Documents = documents;
        _byDocId = new Dictionary<string, int>(documents.Length, StringComparer.Ordinal);
        for (var i = 0; i < documents.Length; i++) _byDocId[documents[i].Id] = i;
        _subjects = new int[relations.Length][][];
        for (var r = 0; r < relations.Length; r++)
        {
            var lists = Enumerable.Range(0, names.Length).Select(_ => new List<int>()).ToArray();
            if (r != (int)LookupRelation.FoundedYear)
                for (var e = 0; e < names.Length; e++)
                    if (relations[r][e] != NoEntity) lists[relations[r][e]].Add(e);
            _subjects[r] = lists.Select(l => l.ToArray()).ToArray();
        }
        _byKind = Enum.GetValues<EntityKind>().Select(k => Enumerable.Range(0, kinds.Length).Where(e => kinds[e] == k).ToArray()).ToArray();
    }

    public MultiHopWorldSpec Spec { get; }

    /// <summary>The corpus: document <c>i</c> is about entity <c>i</c>.</summary>
    public IReadOnlyList<MultiHopDocument> Documents { get; }

    public int EntityCount => _names.Length;

    public EntityKind Kind(int entity) => _kinds[entity];

    public string Name(int entity) => _names[entity];

    /// <summary>The entity's document.</summary>
    public MultiHopDocument Document(int entity) => Documents[entity];

    public MultiHopDocument? DocumentById(string id) => _byDocId.TryGetValue(id, out var i) ? Documents[i] : null;

    /// <summary>The object of <paramref name="relation"/> from <paramref name="entity"/> (a year for founded_year), or null where there is none.</summary>
    public int? Follow(int entity, LookupRelation relation)
    {
        var o = _relations[(int)relation][entity];
        return o == NoEntity ? null : o;
    }

    /// <summary>The entity ids of one kind, in id order.</summary>
    public IReadOnlyList<int> OfKind(EntityKind kind) => _byKind[(int)kind];

    /// <summary>The entities whose <paramref name="relation"/> points at <paramref name="entity"/> (empty for founded_year).</summary>
    public IReadOnlyList<int> Subjects(int entity, LookupRelation relation) => _subjects[(int)relation][entity];

    /// <summary>Builds the world of <paramref name="spec"/>; the same spec always gives the same world.</summary>
    public static MultiHopWorld Build(MultiHopWorldSpec spec)
    {
        var split = Splits.Parse(spec.Split);
        var rng = new TaskRng(ItemSeeds.Derive("multi_hop_lookup/world", split, spec.Seed, (long)spec.SizeHash()));
        var names = new NameSource(rng, split);

        var kinds = new List<EntityKind>();
        var entityNames = new List<string>();
        int Add(EntityKind kind, string name) { kinds.Add(kind); entityNames.Add(name); return kinds.Count - 1; }

        var countries = Enumerable.Range(0, spec.Countries).Select(_ => Add(EntityKind.Country, names.Place(CountrySuffixes))).ToArray();
        var cities = Enumerable.Range(0, spec.Cities).Select(_ => Add(EntityKind.City, names.Place(CitySuffixes))).ToArray();
        var rivers = Enumerable.Range(0, spec.Rivers).Select(_ => Add(EntityKind.River, names.Place([]) + " River")).ToArray();
        var companies = Enumerable.Range(0, spec.Companies).Select(_ => Add(EntityKind.Company, names.Company(CompanyWords))).ToArray();
        var given = Enumerable.Range(0, Math.Max(8, spec.People / 3)).Select(_ => names.Token(2)).ToArray();
        var surnames = Enumerable.Range(0, Math.Max(4, spec.People / 4)).Select(_ => names.Token(2)).ToArray();
        var people = Enumerable.Range(0, spec.People).Select(_ => Add(EntityKind.Person, names.Person(given, surnames))).ToArray();

        var n = kinds.Count;
        var rel = new int[Enum.GetValues<LookupRelation>().Length][];
        for (var r = 0; r < rel.Length; r++) rel[r] = Enumerable.Repeat(NoEntity, n).ToArray();
        int[] R(LookupRelation r) => rel[(int)r];

        // The first city of each country is its capital; the rest are dealt out evenly, so no country dominates answers.
        for (var i = 0; i < cities.Length; i++)
        {
            var country = countries[i % countries.Length];
            R(LookupRelation.LocatedIn)[cities[i]] = country;
            if (i < countries.Length) R(LookupRelation.Capital)[country] = cities[i];
        }
        var riverless = new List<int>(cities);
        rng.Shuffle(riverless);
        foreach (var river in rivers)
            for (var k = rng.Int(2, 4); k > 0 && riverless.Count > 0; k--)
            {
                R(LookupRelation.River)[riverless[^1]] = river;
                riverless.RemoveAt(riverless.Count - 1);
            }
        foreach (var company in companies)
        {
            R(LookupRelation.FoundedYear)[company] = rng.Int(1820, 2020);
            R(LookupRelation.HeadquarteredIn)[company] = rng.Choice(cities);
            R(LookupRelation.FoundedBy)[company] = rng.Choice(people);
        }
        foreach (var person in people)
        {
            R(LookupRelation.BornIn)[person] = rng.Choice(cities);
            if (rng.Bool(0.7)) R(LookupRelation.Employer)[person] = rng.Choice(companies);
        }
        var couples = new List<int>(people);
        rng.Shuffle(couples);
        for (var i = 0; i + 1 < couples.Count && i < couples.Count * 2 / 5; i += 2)
        {
            R(LookupRelation.Spouse)[couples[i]] = couples[i + 1];
            R(LookupRelation.Spouse)[couples[i + 1]] = couples[i];
        }

        var world = new MultiHopWorld(spec, kinds.ToArray(), entityNames.ToArray(), rel, []);
        // Wording and passing mentions come from their own stream, so the mention count never changes the facts.
        var wording = new TaskRng(ItemSeeds.Derive("multi_hop_lookup/documents", split, spec.Seed, (long)(spec.SizeHash() ^ (ulong)spec.PassingMentions)));
        var documents = new MultiHopDocument[n];
        for (var e = 0; e < n; e++)
            documents[e] = new MultiHopDocument(DocId(kinds[e], e), entityNames[e], world.Write(e, wording, spec.PassingMentions));
        return new MultiHopWorld(spec, world._kinds, world._names, rel, documents);
    }

    private static string DocId(EntityKind kind, int entity)
        => string.Create(CultureInfo.InvariantCulture, $"{kind.ToString().ToLowerInvariant()}-{entity}");

    /// <summary>A hop's fact as one plain sentence (the gold trace's reasoning line).</summary>
    public string Fact(int subject, LookupRelation relation, string obj) => relation switch
    {
        LookupRelation.BornIn => $"{_names[subject]} was born in {obj}.",
        LookupRelation.Spouse => $"{_names[subject]} is married to {obj}.",
        LookupRelation.Employer => $"{_names[subject]} works for {obj}.",
        LookupRelation.LocatedIn => $"{_names[subject]} is in {obj}.",
        LookupRelation.River => $"The {obj} flows through {_names[subject]}.",
        LookupRelation.Capital => $"The capital of {_names[subject]} is {obj}.",
        LookupRelation.FoundedBy => $"{_names[subject]} was founded by {obj}.",
        LookupRelation.HeadquarteredIn => $"{_names[subject]} is headquartered in {obj}.",
        LookupRelation.FoundedYear => $"{_names[subject]} was founded in {obj}.",
        _ => throw new ArgumentOutOfRangeException(nameof(relation)),
    };

    private string Write(int e, TaskRng rng, int passingMentions)
    {
        var name = _names[e];
        string N(LookupRelation r) => _names[_relations[(int)r][e]];
        bool Has(LookupRelation r) => _relations[(int)r][e] != NoEntity;
        var s = new List<string>();
        switch (_kinds[e])
        {
            case EntityKind.Person:
                s.Add(rng.Bool() ? $"{name} was born in {N(LookupRelation.BornIn)}." : $"{name} is a native of {N(LookupRelation.BornIn)}, where {name} was born.");
                s.Add($"{name} is {rng.Choice(Occupations)}.");
                if (Has(LookupRelation.Employer)) s.Add(rng.Bool() ? $"{name} works for {N(LookupRelation.Employer)}." : $"{name} is employed by {N(LookupRelation.Employer)}.");
                if (Has(LookupRelation.Spouse)) s.Add(rng.Bool() ? $"{name} is married to {N(LookupRelation.Spouse)}." : $"{name} and {N(LookupRelation.Spouse)} are married.");
                break;
            case EntityKind.City:
                s.Add(rng.Bool() ? $"{name} is a city in {N(LookupRelation.LocatedIn)}." : $"{name} is located in {N(LookupRelation.LocatedIn)}.");
                if (_relations[(int)LookupRelation.Capital][_relations[(int)LookupRelation.LocatedIn][e]] == e)
                    s.Add($"{name} is the capital of {N(LookupRelation.LocatedIn)}.");
                if (Has(LookupRelation.River)) s.Add($"The {N(LookupRelation.River)} flows through {name}.");
                break;
            case EntityKind.Country:
                s.Add(rng.Bool() ? $"{name} is a country whose capital is {N(LookupRelation.Capital)}." : $"The capital of {name} is {N(LookupRelation.Capital)}.");
                s.Add(string.Create(CultureInfo.InvariantCulture, $"{name} is home to {Count(LookupRelation.LocatedIn, e)} cities."));
                break;
            case EntityKind.Company:
                var year = _relations[(int)LookupRelation.FoundedYear][e].ToString(CultureInfo.InvariantCulture);
                s.Add(rng.Bool() ? $"{name} was founded in {year} by {N(LookupRelation.FoundedBy)}." : $"{N(LookupRelation.FoundedBy)} founded {name} in {year}.");
                s.Add(rng.Bool() ? $"{name} is headquartered in {N(LookupRelation.HeadquarteredIn)}." : $"The headquarters of {name} are in {N(LookupRelation.HeadquarteredIn)}.");
                break;
            case EntityKind.River:
                var through = Enumerable.Range(0, _names.Length).Where(c => _relations[(int)LookupRelation.River][c] == e).Select(c => _names[c]).ToArray();
                s.Add(through.Length == 0 ? $"The {name} is a river." : $"The {name} flows through {Join(through)}.");
                s.Add(string.Create(CultureInfo.InvariantCulture, $"The {name} is {rng.Int(40, 900)} kilometres long."));
                break;
        }
        for (var m = 0; m < passingMentions; m++) s.Add(PassingMention(e, rng));
        return string.Join(" ", s);
    }

    /// <summary>A sentence naming another entity the document's entity has no relation to: a retrieval distractor.</summary>
    private string PassingMention(int e, TaskRng rng)
    {
        var name = _names[e];
        string Other(EntityKind kind)
        {
            for (var tries = 0; tries < 64; tries++)
            {
                var o = rng.Int(0, _names.Length - 1);
                if (_kinds[o] == kind && o != e && !Related(e, o)) return _names[o];
            }
            return FirstOf(kind, e);
        }
        var river = _kinds[e] == EntityKind.River ? "The " : "";
        return (_kinds[e], rng.Int(0, 2)) switch
        {
            (EntityKind.Person, 0) => $"{name} once shared a stage with {Other(EntityKind.Person)}.",
            (EntityKind.Person, 1) => $"{name} has often visited {Other(EntityKind.City)}.",
            (EntityKind.Person, _) => $"{name} owns shares in {Other(EntityKind.Company)}.",
            (EntityKind.City, 0) => $"{name} is twinned with {Other(EntityKind.City)}.",
            (EntityKind.City, 1) => $"Many people from {name} work for {Other(EntityKind.Company)}.",
            (EntityKind.City, _) => $"{name} trades with {Other(EntityKind.Country)}.",
            (EntityKind.Country, 0) => $"{name} borders {Other(EntityKind.Country)}.",
            (EntityKind.Country, 1) => $"{Other(EntityKind.Person)} wrote a guidebook to {name}.",
            (EntityKind.Country, _) => $"{name} imports goods from {Other(EntityKind.City)}.",
            (EntityKind.Company, 0) => $"{name} competes with {Other(EntityKind.Company)}.",
            (EntityKind.Company, 1) => $"{name} has a small office in {Other(EntityKind.City)}.",
            (EntityKind.Company, _) => $"{name} once hired {Other(EntityKind.Person)} as a consultant.",
            (_, 0) => $"{river}{name} is sometimes confused with {Other(EntityKind.City)}.",
            _ => $"{Other(EntityKind.Person)} wrote a book about the {name}.",
        };
    }

    private string FirstOf(EntityKind kind, int except)
    {
        for (var i = 0; i < _kinds.Length; i++)
            if (_kinds[i] == kind && i != except) return _names[i];
        return _names[except];
    }

    private bool Related(int a, int b)
    {
        for (var r = 0; r < _relations.Length; r++)
            if (r != (int)LookupRelation.FoundedYear && (_relations[r][a] == b || _relations[r][b] == a)) return true;
        return false;
    }

    private int Count(LookupRelation relation, int obj)
    {
        var n = 0;
        foreach (var o in _relations[(int)relation]) if (o == obj) n++;
        return n;
    }

    private static string Join(IReadOnlyList<string> items)
        => items.Count == 1 ? items[0] : string.Join(", ", items.Take(items.Count - 1)) + " and " + items[^1];

    /// <summary>Draws fresh syllable names, each unique in the world and hashing to the world's split.</summary>
    private sealed class NameSource(TaskRng rng, Split split)
    {
        private readonly HashSet<string> _used = new(StringComparer.Ordinal);

        /// <summary>A new capitalised word of <paramref name="syllables"/> syllables (and maybe a closing consonant).</summary>
        public string Token(int syllables) => Unique(() => Word(syllables), checkSplit: true);

        public string Place(string[] suffixes) => Unique(() => Word(2) + (suffixes.Length == 0 ? "" : rng.Choice(suffixes)), checkSplit: true);

        public string Company(string[] words) => Unique(() => Word(2) + " " + rng.Choice(words), checkSplit: true);

        /// <summary>A full name from the given-name and surname pools (both split-pure), so surnames recur.</summary>
        public string Person(string[] given, string[] surnames)
            => Unique(() => rng.Choice(given) + " " + rng.Choice(surnames), checkSplit: false);

        private string Word(int syllables)
        {
            var b = new StringBuilder();
            for (var i = 0; i < syllables; i++) b.Append(rng.Choice(Onsets)).Append(rng.Choice(Vowels));
            if (rng.Bool(0.6)) b.Append(rng.Choice(Codas));
            b[0] = char.ToUpperInvariant(b[0]);
            return b.ToString();
        }

        private string Unique(Func<string> draw, bool checkSplit)
        {
            for (var tries = 0; tries < 100_000; tries++)
            {
                var name = draw();
                if ((!checkSplit || ItemSeeds.SplitOf(name) == split) && _used.Add(name)) return name;
            }
            throw new HierReasonException("multi_hop_lookup: ran out of distinct names; make the world smaller");
        }
    }
}
