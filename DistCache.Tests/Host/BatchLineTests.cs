using DistCache.Host.Cli;

namespace DistCache.Tests.Host;

/// <summary>How a `batch` line becomes arguments: as redis-cli reads a line, but text only.</summary>
public sealed class BatchLineTests
{
    [Theory]
    [InlineData("set k v", new[] { "set", "k", "v" })]
    [InlineData("  get   k  ", new[] { "get", "k" })]
    [InlineData("set \"two words\" 'it\\'s'", new[] { "set", "two words", "it's" })]
    [InlineData("set k \"a\\\"b\\\\c\\n\"", new[] { "set", "k", "a\"b\\c\n" })]
    [InlineData("set k \"\\x41\\xc3\\xa9\"", new[] { "set", "k", "Aé" })]
    [InlineData("set clé «v»", new[] { "set", "clé", "«v»" })]
    public void Words_quotes_and_escapes_read_as_in_redis_cli(string line, string[] expected) =>
        Assert.Equal(expected, BatchLine.Split(line));

    [Theory]
    [InlineData("set k \"open", "unbalanced quotes")]
    [InlineData("set k 'a'b", "unbalanced quotes")]
    [InlineData("set \"\\xff\" v", "argument 2 is not UTF-8 text")]
    public void Unbalanced_quotes_and_bytes_that_are_not_text_are_refused(string line, string said) =>
        Assert.Contains(said, Assert.Throws<ArgumentException>(() => BatchLine.Split(line)).Message);
}
