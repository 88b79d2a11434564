using HierReason.Retrieval.Corpus;

namespace HierReason.Retrieval.Tests;

/// <summary>
/// A corpus of fictional people with syllable names (so no query can be answered from common words), one document each
/// in Search-R1's layout, with shared surnames and friends mentioned in passing as distractors.
/// </summary>
public sealed class GeneratedWorld
{
    private static readonly string[] Onsets = ["b", "d", "k", "l", "m", "n", "r", "s", "t", "v", "z", "br", "dr", "kr", "st", "th", "gr", "sh"];
    private static readonly string[] Vowels = ["a", "e", "i", "o", "u", "ai", "ei", "ou"];
    private static readonly string[] Codas = ["", "n", "r", "l", "s", "x", "m", "th"];
    private static readonly string[] Jobs = ["baker", "pilot", "chemist", "sculptor", "archivist", "surveyor", "weaver", "cartographer"];

    public GeneratedWorld(int people, int seed)
    {
        var random = new Random(seed);
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        string NewName(int syllables)
        {
            while (true)
            {
                var name = string.Concat(Enumerable.Range(0, syllables).Select(_ => Onsets[random.Next(Onsets.Length)] + Vowels[random.Next(Vowels.Length)] + Codas[random.Next(Codas.Length)]));
                name = char.ToUpperInvariant(name[0]) + name[1..];
                if (names.Add(name)) return name;
            }
        }
        var cities = Enumerable.Range(0, 40).Select(_ => NewName(3)).ToArray();
        // Surnames repeat (about six people share each), so a surname alone does not find a person.
        var surnames = Enumerable.Range(0, Math.Max(1, people / 6)).Select(_ => NewName(2)).ToArray();
        var persons = Enumerable.Range(0, people).Select(_ => (First: NewName(2), Last: surnames[random.Next(surnames.Length)])).ToArray();
        var documents = new List<Document>();
        var births = new List<(string Name, string City, string DocId)>();
        for (var i = 0; i < persons.Length; i++)
        {
            var name = $"{persons[i].First} {persons[i].Last}";
            var city = cities[random.Next(cities.Length)];
            var friend = persons[random.Next(persons.Length)];
            var sentences = new List<string>
            {
                $"{name} was born in {city} in {1900 + random.Next(100)}.",
                $"{name} worked as a {Jobs[random.Next(Jobs.Length)]} for many years.",
            };
            if (random.Next(2) == 0) sentences.Add($"{persons[i].First} was a close friend of {friend.First} {friend.Last}.");
            var id = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            documents.Add(Document.FromTitleAndText(id, name, string.Join(" ", sentences)));
            births.Add((name, city, id));
        }
        Documents = documents;
        Births = births;
    }

    public IReadOnlyList<Document> Documents { get; }

    /// <summary>Each person, their birth city and their document's id.</summary>
    public IReadOnlyList<(string Name, string City, string DocId)> Births { get; }

    /// <summary>The corpus as Search-R1 JSONL.</summary>
    public string ToJsonl() => string.Join("\n", Documents.Select(d => new System.Text.Json.Nodes.JsonObject { ["id"] = d.Id, ["contents"] = d.Contents }.ToJsonString())) + "\n";
}
