using DistCache.Host.Cli;

namespace DistCache.Tests.Host;

/// <summary>How a `batch` line becomes arguments: redis-cli's quoting rules.</summary>
public sealed class CommandLineSplitterTests
{
    [Theory]
    [InlineData("set k v", new[] { "set", "k", "v" })]
    [InlineData("  get   k  ", new[] { "get", "k" })]
    [InlineData("set \"two words\" v", new[] { "set", "two words", "v" })]
    [InlineData("set k \"a\\\"b\\\\c\\n\"", new[] { "set", "k", "a\"b\\c\n" })]
    [InlineData("set k \"\\x41\\x7e\"", new[] { "set", "k", "A~" })]
    [InlineData("set k 'it\\'s \\n'", new[] { "set", "k", "it's \\n" })]
    [InlineData("set k pre\"mid dle\"post", new[] { "set", "k", "premid dlepost" })]
    [InlineData("set k \"\"", new[] { "set", "k", "" })]
    public void Words_and_quotes_split_as_redis_cli_splits_them(string line, string[] expected) =>
        Assert.Equal(expected, CommandLineSplitter.Split(line));

    [Theory]
    [InlineData("set k \"open", "unbalanced double quotes")]
    [InlineData("set k 'open", "unbalanced single quotes")]
    [InlineData("set k \"\\xff\"", "\\xff is not ASCII")]
    public void Unbalanced_quotes_and_bytes_that_are_not_text_are_refused(string line, string said) =>
        Assert.Contains(said, Assert.Throws<ArgumentException>(() => CommandLineSplitter.Split(line)).Message);
}
