using Microsoft.Extensions.Options;

namespace ParamServer.Server.Checkpoints;

/// <summary>Rejects checkpoint settings that cannot work, naming the setting, its value and the rule.</summary>
public sealed class CheckpointOptionsValidator : IValidateOptions<CheckpointOptions>
{
    public ValidateOptionsResult Validate(string? name, CheckpointOptions options)
    {
        var failures = new List<string>();
        if (options.CheckpointEverySteps < 0)
        {
            failures.Add($"Shard:CheckpointEverySteps is {options.CheckpointEverySteps}; expected 0 (off) or a positive step count.");
        }

        if (!double.IsFinite(options.CheckpointEverySeconds) || options.CheckpointEverySeconds < 0)
        {
            failures.Add(
                $"Shard:CheckpointEverySeconds is {options.CheckpointEverySeconds}; expected 0 (off) or a positive number of seconds.");
        }

        if (options.CheckpointKeep < 1)
        {
            failures.Add($"Shard:CheckpointKeep is {options.CheckpointKeep}; expected at least 1.");
        }

        if (options.Enabled && options.CheckpointDirectory!.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            failures.Add($"Shard:CheckpointDirectory '{options.CheckpointDirectory}' contains characters invalid in a path.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
