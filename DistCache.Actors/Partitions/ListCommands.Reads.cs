using DistCache.Protocol;

namespace DistCache.Actors.Partitions;

// The list reads: LLEN, LINDEX, LRANGE and LPOS. Each is a read of the key (it becomes the most recently
// used; a sliding expiry slides), and answers WRONGTYPE on a key holding another type.
public sealed partial class ListCommands
{
    public Decision Length(ListLength length) => _rules.Read(length.Key, Lists, e => new CounterValue(e?.List?.Count ?? 0));

    public Decision Index(ListIndex index) => _rules.Read(index.Key, Lists, e =>
        e?.List is { } list && ListPositionRules.Index(index.Index, list.Count) is { } at ? new Found(StringType.Text(list[at])) : new Found(null));

    public Decision Range(ListRange range) => _rules.Read(range.Key, Lists, e =>
    {
        if (e?.List is not { } list)
            return new ListItems([]);
        var (start, count) = ListPositionRules.Range(range.Start, range.Stop, list.Count);
        return new ListItems(list.Slice(start, count));
    });

    public Decision Position(ListPosition position) => _rules.Read(position.Key, Lists, e =>
        new ListPositions(ListPositionRules.Positions(e?.List, position.Element, position.Rank, position.Count, position.MaxLen)));
}
