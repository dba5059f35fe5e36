using System.Text;

namespace DistCache.Actors.Notifications;

/// <summary>The text of notify-keyspace-events, read and written as Redis 7 does (notify.c,
/// keyspaceEventsStringToFlags and keyspaceEventsFlagsToString): any order, repeats allowed, any other
/// character refused; written back normalised ("KEA" reads back "AKE"). Without K or E nothing is
/// delivered, though the string is kept as given, as Redis keeps it.</summary>
public static class KeyspaceEventFlags
{
    /// <summary>CONFIG SET's error for a bad value, after Redis's "CONFIG SET failed … - " prefix.</summary>
    public const string InvalidCharacter = "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.";

    public static bool TryParse(string text, out KeyspaceEventClasses flags)
    {
        flags = KeyspaceEventClasses.None;
        foreach (var c in text)
        {
            var one = Of(c);
            if (one == KeyspaceEventClasses.None)
                return false;
            flags |= one;
        }
        return true;
    }

    /// <summary>What Redis's CONFIG GET shows: A for all of NOTIFY_ALL, else each class in Redis's order, then
    /// K, E and m. Redis prints n and d only outside A, so "KEAn" reads back "AKE" (n still set).</summary>
    public static string Format(KeyspaceEventClasses flags)
    {
        var text = new StringBuilder();
        if ((flags & KeyspaceEventClasses.All) == KeyspaceEventClasses.All)
            text.Append('A');
        else
        {
            foreach (var (c, one) in TypeOrder)
                if ((flags & one) != 0)
                    text.Append(c);
        }
        if ((flags & KeyspaceEventClasses.Keyspace) != 0)
            text.Append('K');
        if ((flags & KeyspaceEventClasses.Keyevent) != 0)
            text.Append('E');
        if ((flags & KeyspaceEventClasses.KeyMiss) != 0)
            text.Append('m');
        return text.ToString();
    }

    /// <summary>Whether these flags can deliver anything: a channel (K or E) and an event class.</summary>
    public static bool Delivers(KeyspaceEventClasses flags) =>
        (flags & (KeyspaceEventClasses.Keyspace | KeyspaceEventClasses.Keyevent)) != 0
        && (flags & ~(KeyspaceEventClasses.Keyspace | KeyspaceEventClasses.Keyevent)) != 0;

    private static readonly (char, KeyspaceEventClasses)[] TypeOrder =
    [
        ('g', KeyspaceEventClasses.Generic), ('$', KeyspaceEventClasses.String), ('l', KeyspaceEventClasses.List),
        ('s', KeyspaceEventClasses.Set), ('h', KeyspaceEventClasses.Hash), ('z', KeyspaceEventClasses.SortedSet),
        ('x', KeyspaceEventClasses.Expired), ('e', KeyspaceEventClasses.Evicted), ('t', KeyspaceEventClasses.Stream),
        ('d', KeyspaceEventClasses.Module), ('n', KeyspaceEventClasses.New),
    ];

    private static KeyspaceEventClasses Of(char c) => c switch
    {
        'A' => KeyspaceEventClasses.All,
        'g' => KeyspaceEventClasses.Generic,
        '$' => KeyspaceEventClasses.String,
        'l' => KeyspaceEventClasses.List,
        's' => KeyspaceEventClasses.Set,
        'h' => KeyspaceEventClasses.Hash,
        'z' => KeyspaceEventClasses.SortedSet,
        'x' => KeyspaceEventClasses.Expired,
        'e' => KeyspaceEventClasses.Evicted,
        'K' => KeyspaceEventClasses.Keyspace,
        'E' => KeyspaceEventClasses.Keyevent,
        't' => KeyspaceEventClasses.Stream,
        'm' => KeyspaceEventClasses.KeyMiss,
        'd' => KeyspaceEventClasses.Module,
        'n' => KeyspaceEventClasses.New,
        _ => KeyspaceEventClasses.None,
    };
}
