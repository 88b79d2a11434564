using System.Text.Json.Nodes;
using HierReason.Core.Tasks;

namespace HierReason.Core.Tests.Tasks;

public class LetterCountingTests
{
    private readonly LetterCountingTask _task = new();

    private static (char Letter, string Text) ReadQuestion(string question)
    {
        const string head = "How many times does the letter \"";
        Assert.StartsWith(head, question);
        var letter = question[head.Length];
        var open = question.IndexOf(": \"", StringComparison.Ordinal) + 3;
        Assert.EndsWith("\"?", question);
        return (letter, question[open..^2]);
    }

    [Fact]
    public void Answer_equals_an_independent_recount_of_the_letter_in_the_question_text()
    {
        foreach (var item in TaskDataset.Create(_task, Split.Train, 0, 500))
        {
            var (letter, text) = ReadQuestion(item.Question);
            var meta = (LetterCountingMetadata)item.Metadata;
            var recount = text.Count(c => char.ToLowerInvariant(c) == char.ToLowerInvariant(letter));
            Assert.Equal(recount.ToString(), item.Answer);
            Assert.Equal(recount, meta.Count);
            Assert.Equal(letter.ToString(), meta.Letter);
            Assert.Equal(text, meta.Text);
        }
    }

    [Fact]
    public void Counting_ignores_case()
    {
        Assert.Equal(2, LetterCountingTask.Occurrences("beet", 'e'));
        Assert.Equal(4, LetterCountingTask.Occurrences("Beet bEe", 'E'));
        Assert.Equal(2, LetterCountingTask.Occurrences("Bob", 'b'));
        Assert.Equal(0, LetterCountingTask.Occurrences("quick", 'z'));
        Assert.Equal(2, LetterCountingTask.Occurrences("a@`A[{", 'a'));
        Assert.Equal(2, LetterCountingTask.Occurrences("Éxé", 'é'));
    }

    [Fact]
    public void Default_texts_have_five_to_fifteen_words_from_the_word_list()
    {
        var words = LetterCountingTask.Words.ToHashSet();
        foreach (var item in TaskDataset.Create(_task, Split.Validation, 0, 300))
        {
            var text = ((LetterCountingMetadata)item.Metadata).Text.Split(' ');
            Assert.InRange(text.Length, 5, 15);
            Assert.All(text, w => Assert.Contains(w, words));
        }
    }

    [Fact]
    public void Easiest_level_has_one_to_three_words()
    {
        foreach (var item in TaskDataset.Create(_task, Split.Train, 0, 200, level: 0))
            Assert.InRange(((LetterCountingMetadata)item.Metadata).Text.Split(' ').Length, 1, 3);
    }

    [Fact]
    public void Letter_is_sometimes_absent_so_zero_is_a_possible_answer()
    {
        var items = TaskDataset.Create(_task, Split.Train, 0, 1000).ToList();
        var zeros = items.Where(i => i.Answer == "0").ToList();
        Assert.NotEmpty(zeros);
        Assert.True(zeros.Count < items.Count / 2, $"{zeros.Count} of {items.Count} answers are 0");
        var z = zeros[0];
        var letter = ((LetterCountingMetadata)z.Metadata).Letter;
        Assert.Equal($"no word contains \"{letter}\"\n<answer>0</answer>", z.Solution);
    }

    [Fact]
    public void Trace_lists_each_word_with_the_letter_and_sums_the_counts()
    {
        foreach (var item in TaskDataset.Create(_task, Split.Test, 0, 300).Where(i => i.Answer != "0"))
        {
            var meta = (LetterCountingMetadata)item.Metadata;
            var letter = meta.Letter[0];
            var expected = meta.Text.Split(' ')
                .Select(w => (Word: w, Count: w.Count(c => c == letter)))
                .Where(p => p.Count > 0)
                .ToList();
            var lines = item.Solution.Split('\n');
            for (var i = 0; i < expected.Count; i++)
                Assert.Equal($"{expected[i].Word}: {expected[i].Count}", lines[i]);
            if (expected.Count > 1)
                Assert.Equal($"{string.Join(" + ", expected.Select(p => p.Count))} = {meta.Count}", lines[expected.Count]);
            Assert.Equal($"<answer>{meta.Count}</answer>", lines[^1]);
            Assert.Equal(expected.Count + (expected.Count > 1 ? 2 : 1), lines.Length);
        }
    }

    [Fact]
    public void Word_list_is_a_few_thousand_distinct_lowercase_words_of_three_to_ten_letters()
    {
        var words = LetterCountingTask.Words;
        Assert.InRange(words.Count, 4000, 6000);
        Assert.Equal(words.Count, words.Distinct().Count());
        Assert.All(words, w =>
        {
            Assert.InRange(w.Length, 3, 10);
            Assert.True(w.All(c => c is >= 'a' and <= 'z'), w);
        });
    }

    [Fact]
    public void Wrong_number_scores_zero_even_when_it_shares_digits()
    {
        var item = TaskDataset.Create(_task, Split.Test, 0, 200).First(i => i.Answer.Length >= 2);
        var gold = item.Answer;
        Assert.Equal(1.0, _task.Score($" {gold}.0 ", item));
        Assert.Equal(0.0, _task.Score(gold + "1", item));
        Assert.Equal(0.0, _task.Score(gold[..^1], item));
        Assert.Equal(0.0, _task.Score("-" + gold, item));
        Assert.Equal(0.0, _task.Score($"{gold} times", item));
    }

    [Fact]
    public void Config_out_of_range_names_the_field()
    {
        var e = Assert.Throws<HierReason.Core.ConfigException>(() =>
            _task.ParseConfig(new JsonObject { ["min_words"] = 9, ["max_words"] = 4 }, "tasks/letter_counting.json", "$.config"));
        Assert.Equal("$.config.min_words", e.JsonPath);
        var zero = Assert.Throws<HierReason.Core.ConfigException>(() => _task.ParseConfig(new JsonObject { ["max_words"] = 0 }));
        Assert.Equal("$.max_words", zero.JsonPath);
    }
}
