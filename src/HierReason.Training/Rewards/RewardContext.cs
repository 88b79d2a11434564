using HierReason.Core.Episodes;
using HierReason.Core.Tasks;

namespace HierReason.Training.Rewards;

/// <summary>
/// What a reward function may look at: the finished episode (its item, segments with actors, environment statistics),
/// the task, the policy's token budget, and where the answer is read (<see cref="Answers"/>): with
/// <see cref="AnswerSource.Policy"/> an <c>&lt;answer&gt;</c> inside environment text never counts.
/// </summary>
public sealed record RewardContext(Episode Episode, IReasoningTask Task, int MaxTokens, AnswerSource Answers = AnswerSource.Policy)
{
    public TaskItem Item => Episode.Item ?? throw new InvalidOperationException("a rewarded episode must know its task item");

    /// <summary>The answer from <see cref="Answers"/>, or null.</summary>
    public string? Answer => Episode.Answer(Answers);

    /// <summary>The text the rewards read for format and steps: the policy's own text, or every actor's when the answer source is the whole completion.</summary>
    public string Completion => Answers == AnswerSource.Completion ? Episode.CompletionText : Answers == AnswerSource.Policy ? Episode.PolicyText : string.Concat(Episode.EnvironmentSegments.Select(s => s.Text));

    /// <summary>The policy's tokens over all its turns.</summary>
    public int CompletionTokens => Episode.PolicyTokenCount;

    public bool Truncated => Episode.Truncated;

    /// <summary>What the environment counted (worker tokens, searches, …).</summary>
    public IReadOnlyDictionary<string, double> Stats => Episode.Stats;

    /// <summary>A single-turn episode of <paramref name="completion"/> (tests, and scoring text from elsewhere).</summary>
    public static RewardContext ForText(TaskItem item, IReasoningTask task, string completion, int tokens, int maxTokens, bool truncated)
    {
        var episode = new Episode(new Segment(Actor.Prompt, item.Question), item)
            .Append(new Segment(Actor.Policy, completion) { ReportedTokens = tokens })
            .Finish(truncated ? EpisodeEnd.Length : EpisodeEnd.Stop);
        return new RewardContext(episode, task, maxTokens);
    }
}
