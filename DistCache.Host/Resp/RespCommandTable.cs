namespace DistCache.Host.Resp;

/// <summary>Every command the endpoint answers, with Redis 7's metadata (redis src/commands/*.json). The
/// dispatcher looks commands up here and checks their arity here before running them, COMMAND answers
/// from it and ACL categories come from it, so the three cannot drift. Adding a command is one row here
/// and one case in <see cref="RespCommands.Map"/>.
/// Container commands (CLIENT, CONFIG, ACL) carry the flags and categories of the subcommands DistCache
/// supports, since ACL rules here apply to whole commands (no <c>+config|get</c>).</summary>
public static class RespCommandTable
{
    public static readonly IReadOnlyList<RespCommandSpec> All = Number(
    [
        // name, arity, flags, first key, last key, step, key flags (of its key spec), ACL categories, group, since, summary
        Row("PING", -1, "fast", 0, 0, 0, "", "@fast @connection", "connection", "1.0.0", "Returns the server's liveliness response."),
        Row("ECHO", 2, "loading stale fast", 0, 0, 0, "", "@fast @connection", "connection", "1.0.0", "Returns the given string."),
        Row("HELLO", -1, "noscript loading stale fast no_auth allow_busy", 0, 0, 0, "", "@fast @connection", "connection", "6.0.0", "Handshakes with the Redis server."),
        Row("AUTH", -2, "noscript loading stale fast no_auth allow_busy", 0, 0, 0, "", "@fast @connection", "connection", "1.0.0", "Authenticates the connection."),
        Row("SELECT", 2, "loading stale fast", 0, 0, 0, "", "@fast @connection", "connection", "1.0.0", "Changes the selected database."),
        Row("QUIT", -1, "allow_busy noscript loading stale fast no_auth", 0, 0, 0, "", "@fast @connection", "connection", "1.0.0", "Closes the connection."),
        Row("RESET", 1, "noscript loading stale fast no_auth allow_busy", 0, 0, 0, "", "@fast @connection", "connection", "6.2.0", "Resets the connection."),
        Row("CLIENT", -2, "noscript loading stale", 0, 0, 0, "", "@slow @connection", "connection", "2.4.0", "A container for client connection commands."),
        Row("COMMAND", -1, "loading stale", 0, 0, 0, "", "@slow @connection", "server", "2.8.13", "Returns detailed information about all commands."),
        Row("GET", 2, "readonly fast", 1, 1, 1, "RO access", "@read @string @fast", "string", "1.0.0", "Returns the string value of a key."),
        Row("SET", -3, "write denyoom", 1, 1, 1, "RW access update variable_flags", "@write @string @slow", "string", "1.0.0", "Sets the string value of a key, ignoring its type. The key is created if it doesn't exist."),
        Row("SETNX", 3, "write denyoom fast", 1, 1, 1, "OW insert", "@write @string @fast", "string", "1.0.0", "Set the string value of a key only when the key doesn't exist."),
        Row("SETEX", 4, "write denyoom", 1, 1, 1, "OW update", "@write @string @slow", "string", "2.0.0", "Sets the string value and expiration time of a key. Creates the key if it doesn't exist."),
        Row("PSETEX", 4, "write denyoom", 1, 1, 1, "OW update", "@write @string @slow", "string", "2.6.0", "Sets both string value and expiration time in milliseconds of a key. The key is created if it doesn't exist."),
        Row("GETSET", 3, "write denyoom fast", 1, 1, 1, "RW access update", "@write @string @fast", "string", "1.0.0", "Returns the previous string value of a key after setting it to a new value."),
        Row("GETDEL", 2, "write fast", 1, 1, 1, "RW access delete", "@write @string @fast", "string", "6.2.0", "Returns the string value of a key after deleting the key."),
        Row("GETEX", -2, "write fast", 1, 1, 1, "RW access update", "@write @string @fast", "string", "6.2.0", "Returns the string value of a key after setting its expiration time."),
        Row("DEL", -2, "write", 1, -1, 1, "RM delete", "@keyspace @write @slow", "generic", "1.0.0", "Deletes one or more keys."),
        Row("UNLINK", -2, "write fast", 1, -1, 1, "RM delete", "@keyspace @write @fast", "generic", "4.0.0", "Asynchronously deletes one or more keys."),
        Row("EXISTS", -2, "readonly fast", 1, -1, 1, "RO", "@keyspace @read @fast", "generic", "1.0.0", "Determines whether one or more keys exist."),
        Row("TYPE", 2, "readonly fast", 1, 1, 1, "RO", "@keyspace @read @fast", "generic", "1.0.0", "Determines the type of value stored at a key."),
        Row("INCR", 2, "write denyoom fast", 1, 1, 1, "RW access update", "@write @string @fast", "string", "1.0.0", "Increments the integer value of a key by one. Uses 0 as initial value if the key doesn't exist."),
        Row("DECR", 2, "write denyoom fast", 1, 1, 1, "RW access update", "@write @string @fast", "string", "1.0.0", "Decrements the integer value of a key by one. Uses 0 as initial value if the key doesn't exist."),
        Row("INCRBY", 3, "write denyoom fast", 1, 1, 1, "RW access update", "@write @string @fast", "string", "1.0.0", "Increments the integer value of a key by a number. Uses 0 as initial value if the key doesn't exist."),
        Row("DECRBY", 3, "write denyoom fast", 1, 1, 1, "RW access update", "@write @string @fast", "string", "1.0.0", "Decrements a number from the integer value of a key. Uses 0 as initial value if the key doesn't exist."),
        Row("APPEND", 3, "write denyoom fast", 1, 1, 1, "RW insert", "@write @string @fast", "string", "2.0.0", "Appends a string to the value of a key. Creates the key if it doesn't exist."),
        Row("STRLEN", 2, "readonly fast", 1, 1, 1, "RO", "@read @string @fast", "string", "2.2.0", "Returns the length of a string value."),
        Row("EXPIRE", -3, "write fast", 1, 1, 1, "RW update", "@keyspace @write @fast", "generic", "1.0.0", "Sets the expiration time of a key in seconds."),
        Row("PEXPIRE", -3, "write fast", 1, 1, 1, "RW update", "@keyspace @write @fast", "generic", "2.6.0", "Sets the expiration time of a key in milliseconds."),
        Row("EXPIREAT", -3, "write fast", 1, 1, 1, "RW update", "@keyspace @write @fast", "generic", "1.2.0", "Sets the expiration time of a key to a Unix timestamp."),
        Row("PEXPIREAT", -3, "write fast", 1, 1, 1, "RW update", "@keyspace @write @fast", "generic", "2.6.0", "Sets the expiration time of a key to a Unix milliseconds timestamp."),
        Row("TTL", 2, "readonly fast", 1, 1, 1, "RO access", "@keyspace @read @fast", "generic", "1.0.0", "Returns the expiration time in seconds of a key."),
        Row("PTTL", 2, "readonly fast", 1, 1, 1, "RO access", "@keyspace @read @fast", "generic", "2.6.0", "Returns the expiration time in milliseconds of a key."),
        Row("PERSIST", 2, "write fast", 1, 1, 1, "RW update", "@keyspace @write @fast", "generic", "2.2.0", "Removes the expiration time of a key."),
        Row("MGET", -2, "readonly fast", 1, -1, 1, "RO access", "@read @string @fast", "string", "1.0.0", "Atomically returns the string values of one or more keys."),
        Row("MSET", -3, "write denyoom", 1, -1, 2, "OW update", "@write @string @slow", "string", "1.0.1", "Atomically creates or modifies the string values of one or more keys."),
        Row("EXPIRETIME", 2, "readonly fast", 1, 1, 1, "RO access", "@keyspace @read @fast", "generic", "7.0.0", "Returns the expiration time of a key as a Unix timestamp."),
        Row("PEXPIRETIME", 2, "readonly fast", 1, 1, 1, "RO access", "@keyspace @read @fast", "generic", "7.0.0", "Returns the expiration time of a key as a Unix milliseconds timestamp."),
        Row("TOUCH", -2, "readonly fast", 1, -1, 1, "RO", "@keyspace @read @fast", "generic", "3.2.1", "Returns the number of existing keys out of those specified after updating the time they were last accessed."),
        Row("GETRANGE", 4, "readonly", 1, 1, 1, "RO access", "@read @string @slow", "string", "2.4.0", "Returns a substring of the string stored at a key."),
        Row("SUBSTR", 4, "readonly", 1, 1, 1, "RO access", "@read @string @slow", "string", "1.0.0", "Returns a substring from a string value."),
        Row("SETRANGE", 4, "write denyoom", 1, 1, 1, "RW update", "@write @string @slow", "string", "2.2.0", "Overwrites a part of a string value with another by an offset. Creates the key if it doesn't exist."),
        Row("INCRBYFLOAT", 3, "write denyoom fast", 1, 1, 1, "RW access update", "@write @string @fast", "string", "2.6.0", "Increment the floating point value of a key by a number. Uses 0 as initial value if the key doesn't exist."),
        Row("MSETNX", -3, "write denyoom", 1, -1, 2, "OW insert", "@write @string @slow", "string", "1.0.1", "Atomically modifies the string values of one or more keys only when all keys don't exist."),
        Row("RENAME", 3, "write", 1, 2, 1, "RW access delete update", "@keyspace @write @slow", "generic", "1.0.0", "Renames a key and overwrites the destination."),
        Row("RENAMENX", 3, "write fast", 1, 2, 1, "RW access delete insert", "@keyspace @write @fast", "generic", "1.0.0", "Renames a key only when the target key name doesn't exist."),
        Row("COPY", -3, "write denyoom", 1, 2, 1, "RW access update", "@keyspace @write @slow", "generic", "6.2.0", "Copies the value of a key to a new key."),
        Row("KEYS", 2, "readonly", 0, 0, 0, "", "@keyspace @read @slow @dangerous", "generic", "1.0.0", "Returns all key names that match a pattern."),
        Row("RANDOMKEY", 1, "readonly", 0, 0, 0, "", "@keyspace @read @slow", "generic", "1.0.0", "Returns a random key name from the database."),
        Row("SETBIT", 4, "write denyoom", 1, 1, 1, "RW access update", "@write @bitmap @slow", "bitmap", "2.2.0", "Sets or clears the bit at offset of the string value. Creates the key if it doesn't exist."),
        Row("GETBIT", 3, "readonly fast", 1, 1, 1, "RO access", "@read @bitmap @fast", "bitmap", "2.2.0", "Returns a bit value by offset."),
        Row("BITCOUNT", -2, "readonly", 1, 1, 1, "RO access", "@read @bitmap @slow", "bitmap", "2.6.0", "Counts the number of set bits (population counting) in a string."),
        Row("BITPOS", -3, "readonly", 1, 1, 1, "RO access", "@read @bitmap @slow", "bitmap", "2.8.7", "Finds the first set (1) or clear (0) bit in a string."),
        Row("LCS", -3, "readonly", 1, 2, 1, "RO access", "@read @string @slow", "string", "7.0.0", "Finds the longest common substring."),
        // A container: its key (OBJECT ENCODING key) sits at position 2, so ACL key patterns apply to it.
        Row("OBJECT", -2, "readonly", 2, 2, 1, "RO", "@keyspace @read @slow", "generic", "2.2.3", "A container for object introspection commands."),
        Row("HSET", -4, "write denyoom fast", 1, 1, 1, "RW update insert", "@write @hash @fast", "hash", "2.0.0", "Creates or modifies the value of a field in a hash."),
        Row("HSETNX", 4, "write denyoom fast", 1, 1, 1, "RW insert", "@write @hash @fast", "hash", "2.0.0", "Sets the value of a field in a hash only when the field doesn't exist."),
        Row("HMSET", -4, "write denyoom fast", 1, 1, 1, "RW update", "@write @hash @fast", "hash", "2.0.0", "Sets the values of multiple fields."),
        Row("HGET", 3, "readonly fast", 1, 1, 1, "RO access", "@read @hash @fast", "hash", "2.0.0", "Returns the value of a field in a hash."),
        Row("HMGET", -3, "readonly fast", 1, 1, 1, "RO access", "@read @hash @fast", "hash", "2.0.0", "Returns the values of all fields in a hash."),
        Row("HDEL", -3, "write fast", 1, 1, 1, "RW delete", "@write @hash @fast", "hash", "2.0.0", "Deletes one or more fields and their values from a hash. Deletes the hash if no fields remain."),
        Row("HEXISTS", 3, "readonly fast", 1, 1, 1, "RO", "@read @hash @fast", "hash", "2.0.0", "Determines whether a field exists in a hash."),
        Row("HLEN", 2, "readonly fast", 1, 1, 1, "RO", "@read @hash @fast", "hash", "2.0.0", "Returns the number of fields in a hash."),
        Row("HSTRLEN", 3, "readonly fast", 1, 1, 1, "RO", "@read @hash @fast", "hash", "3.2.0", "Returns the length of the value of a field."),
        Row("HKEYS", 2, "readonly", 1, 1, 1, "RO", "@read @hash @slow", "hash", "2.0.0", "Returns all fields in a hash."),
        Row("HVALS", 2, "readonly", 1, 1, 1, "RO access", "@read @hash @slow", "hash", "2.0.0", "Returns all values in a hash."),
        Row("HGETALL", 2, "readonly", 1, 1, 1, "RO access", "@read @hash @slow", "hash", "2.0.0", "Returns all fields and values in a hash."),
        Row("HINCRBY", 4, "write denyoom fast", 1, 1, 1, "RW access update", "@write @hash @fast", "hash", "2.0.0", "Increments the integer value of a field in a hash by a number. Uses 0 as initial value if the field doesn't exist."),
        Row("HINCRBYFLOAT", 4, "write denyoom fast", 1, 1, 1, "RW access update", "@write @hash @fast", "hash", "2.6.0", "Increments the floating point value of a field by a number. Uses 0 as initial value if the field doesn't exist."),
        Row("HRANDFIELD", -2, "readonly", 1, 1, 1, "RO access", "@read @hash @slow", "hash", "6.2.0", "Returns one or more random fields from a hash."),
        Row("SADD", -3, "write denyoom fast", 1, 1, 1, "RW insert", "@write @set @fast", "set", "1.0.0", "Adds one or more members to a set. Creates the key if it doesn't exist."),
        Row("SREM", -3, "write fast", 1, 1, 1, "RW delete", "@write @set @fast", "set", "1.0.0", "Removes one or more members from a set. Deletes the set if the last member was removed."),
        Row("SMEMBERS", 2, "readonly", 1, 1, 1, "RO access", "@read @set @slow", "set", "1.0.0", "Returns all members of a set."),
        Row("SISMEMBER", 3, "readonly fast", 1, 1, 1, "RO", "@read @set @fast", "set", "1.0.0", "Determines whether a member belongs to a set."),
        Row("SMISMEMBER", -3, "readonly fast", 1, 1, 1, "RO", "@read @set @fast", "set", "6.2.0", "Determines whether multiple members belong to a set."),
        Row("SCARD", 2, "readonly fast", 1, 1, 1, "RO", "@read @set @fast", "set", "1.0.0", "Returns the number of members in a set."),
        Row("SPOP", -2, "write fast", 1, 1, 1, "RW access delete", "@write @set @fast", "set", "1.0.0", "Returns one or more random members from a set after removing them. Deletes the set if the last member was popped."),
        Row("SRANDMEMBER", -2, "readonly", 1, 1, 1, "RO access", "@read @set @slow", "set", "1.0.0", "Get one or multiple random members from a set"),
        Row("SMOVE", 4, "write fast", 1, 2, 1, "RW access delete insert", "@write @set @fast", "set", "1.0.0", "Moves a member from one set to another."),
        Row("SINTER", -2, "readonly", 1, -1, 1, "RO access", "@read @set @slow", "set", "1.0.0", "Returns the intersect of multiple sets."),
        Row("SINTERCARD", -3, "readonly movablekeys", 0, 0, 0, "RO access", "@read @set @slow", "set", "7.0.0", "Returns the number of members of the intersect of multiple sets."),
        Row("SUNION", -2, "readonly", 1, -1, 1, "RO access", "@read @set @slow", "set", "1.0.0", "Returns the union of multiple sets."),
        Row("SDIFF", -2, "readonly", 1, -1, 1, "RO access", "@read @set @slow", "set", "1.0.0", "Returns the difference of multiple sets."),
        Row("SINTERSTORE", -3, "write denyoom", 1, -1, 1, "RW update access", "@write @set @slow", "set", "1.0.0", "Stores the intersect of multiple sets in a key."),
        Row("SUNIONSTORE", -3, "write denyoom", 1, -1, 1, "RW update access", "@write @set @slow", "set", "1.0.0", "Stores the union of multiple sets in a key."),
        Row("SDIFFSTORE", -3, "write denyoom", 1, -1, 1, "RW update access", "@write @set @slow", "set", "1.0.0", "Stores the difference of multiple sets in a key."),
        Row("SSCAN", -3, "readonly", 1, 1, 1, "RO access", "@read @set @slow", "set", "2.8.0", "Iterates over members of a set."),
        Row("HSCAN", -3, "readonly", 1, 1, 1, "RO access", "@read @hash @slow", "hash", "2.8.0", "Iterates over fields and values of a hash."),
        Row("LPUSH", -3, "write denyoom fast", 1, 1, 1, "RW insert", "@write @list @fast", "list", "1.0.0", "Prepends one or more elements to a list. Creates the key if it doesn't exist."),
        Row("RPUSH", -3, "write denyoom fast", 1, 1, 1, "RW insert", "@write @list @fast", "list", "1.0.0", "Appends one or more elements to a list. Creates the key if it doesn't exist."),
        Row("LPUSHX", -3, "write denyoom fast", 1, 1, 1, "RW insert", "@write @list @fast", "list", "2.2.0", "Prepends one or more elements to a list only when the list exists."),
        Row("RPUSHX", -3, "write denyoom fast", 1, 1, 1, "RW insert", "@write @list @fast", "list", "2.2.0", "Appends an element to a list only when the list exists."),
        Row("LPOP", -2, "write fast", 1, 1, 1, "RW access delete", "@write @list @fast", "list", "1.0.0", "Returns the first elements in a list after removing it. Deletes the list if the last element was popped."),
        Row("RPOP", -2, "write fast", 1, 1, 1, "RW access delete", "@write @list @fast", "list", "1.0.0", "Returns and removes the last elements of a list. Deletes the list if the last element was popped."),
        Row("LLEN", 2, "readonly fast", 1, 1, 1, "RO", "@read @list @fast", "list", "1.0.0", "Returns the length of a list."),
        Row("LINDEX", 3, "readonly", 1, 1, 1, "RO access", "@read @list @slow", "list", "1.0.0", "Returns an element from a list by its index."),
        Row("LSET", 4, "write denyoom", 1, 1, 1, "RW update", "@write @list @slow", "list", "1.0.0", "Sets the value of an element in a list by its index."),
        Row("LRANGE", 4, "readonly", 1, 1, 1, "RO access", "@read @list @slow", "list", "1.0.0", "Returns a range of elements from a list."),
        Row("LTRIM", 4, "write", 1, 1, 1, "RW delete", "@write @list @slow", "list", "1.0.0", "Removes elements from both ends a list. Deletes the list if all elements were trimmed."),
        Row("LREM", 4, "write", 1, 1, 1, "RW delete", "@write @list @slow", "list", "1.0.0", "Removes elements from a list. Deletes the list if the last element was removed."),
        Row("LINSERT", 5, "write denyoom", 1, 1, 1, "RW insert", "@write @list @slow", "list", "2.2.0", "Inserts an element before or after another element in a list."),
        Row("LPOS", -3, "readonly", 1, 1, 1, "RO access", "@read @list @slow", "list", "6.0.6", "Returns the index of matching elements in a list."),
        Row("LMOVE", 5, "write denyoom", 1, 2, 1, "RW access delete insert", "@write @list @slow", "list", "6.2.0", "Returns an element after popping it from one list and pushing it to another. Deletes the list if the last element was moved."),
        Row("RPOPLPUSH", 3, "write denyoom", 1, 2, 1, "RW access delete insert", "@write @list @slow", "list", "1.2.0", "Returns the last element of a list after removing and pushing it to another list. Deletes the list if the last element was popped."),
        // Its keys are counted by numkeys (movablekeys): ACL finds them with RespCommandSpec.MovableKeyPositions.
        Row("LMPOP", -4, "write movablekeys", 0, 0, 0, "RW access delete", "@write @list @slow", "list", "7.0.0", "Returns multiple elements from a list after removing them. Deletes the list if the last element was popped."),
        Row("BLPOP", -3, "write noscript blocking", 1, -2, 1, "RW access delete", "@write @list @slow @blocking", "list", "2.0.0", "Removes and returns the first element in a list. Blocks until an element is available otherwise. Deletes the list if the last element was popped."),
        Row("BRPOP", -3, "write noscript blocking", 1, -2, 1, "RW access delete", "@write @list @slow @blocking", "list", "2.0.0", "Removes and returns the last element in a list. Blocks until an element is available otherwise. Deletes the list if the last element was popped."),
        Row("BLMOVE", 6, "write denyoom noscript blocking", 1, 2, 1, "RW access delete insert", "@write @list @slow @blocking", "list", "6.2.0", "Pops an element from a list, pushes it to another list and returns it. Blocks until an element is available otherwise. Deletes the list if the last element was moved."),
        Row("BRPOPLPUSH", 4, "write denyoom noscript blocking", 1, 2, 1, "RW access delete insert", "@write @list @slow @blocking", "list", "2.2.0", "Pops an element from a list, pushes it to another list and returns it. Block until an element is available otherwise. Deletes the list if the last element was popped."),
        // Its keys are counted by numkeys after the timeout (movablekeys).
        Row("BLMPOP", -5, "write blocking movablekeys", 0, 0, 0, "RW access delete", "@write @list @slow @blocking", "list", "7.0.0", "Pops the first element from one of multiple lists. Blocks until an element is available otherwise. Deletes the list if the last element was popped."),
        Row("ZADD", -4, "write denyoom fast", 1, 1, 1, "RW update", "@write @sortedset @fast", "sorted-set", "1.2.0", "Adds one or more members to a sorted set, or updates their scores. Creates the key if it doesn't exist."),
        Row("ZINCRBY", 4, "write denyoom fast", 1, 1, 1, "RW access update", "@write @sortedset @fast", "sorted-set", "1.2.0", "Increments the score of a member in a sorted set."),
        Row("ZSCORE", 3, "readonly fast", 1, 1, 1, "RO access", "@read @sortedset @fast", "sorted-set", "1.2.0", "Returns the score of a member in a sorted set."),
        Row("ZMSCORE", -3, "readonly fast", 1, 1, 1, "RO access", "@read @sortedset @fast", "sorted-set", "6.2.0", "Returns the score of one or more members in a sorted set."),
        Row("ZCARD", 2, "readonly fast", 1, 1, 1, "RO", "@read @sortedset @fast", "sorted-set", "1.2.0", "Returns the number of members in a sorted set."),
        Row("ZRANK", -3, "readonly fast", 1, 1, 1, "RO access", "@read @sortedset @fast", "sorted-set", "2.0.0", "Returns the index of a member in a sorted set ordered by ascending scores."),
        Row("ZREVRANK", -3, "readonly fast", 1, 1, 1, "RO access", "@read @sortedset @fast", "sorted-set", "2.0.0", "Returns the index of a member in a sorted set ordered by descending scores."),
        Row("ZCOUNT", 4, "readonly fast", 1, 1, 1, "RO access", "@read @sortedset @fast", "sorted-set", "2.0.0", "Returns the count of members in a sorted set that have scores within a range."),
        Row("ZLEXCOUNT", 4, "readonly fast", 1, 1, 1, "RO access", "@read @sortedset @fast", "sorted-set", "2.8.9", "Returns the number of members in a sorted set within a lexicographical range."),
        Row("ZRANGE", -4, "readonly", 1, 1, 1, "RO access", "@read @sortedset @slow", "sorted-set", "1.2.0", "Returns members in a sorted set within a range of indexes."),
        Row("ZRANGESTORE", -5, "write denyoom", 1, 2, 1, "RW access update", "@write @sortedset @slow", "sorted-set", "6.2.0", "Stores a range of members from sorted set in a key."),
        Row("ZREVRANGE", -4, "readonly", 1, 1, 1, "RO access", "@read @sortedset @slow", "sorted-set", "1.2.0", "Returns members in a sorted set within a range of indexes in reverse order."),
        Row("ZRANGEBYSCORE", -4, "readonly", 1, 1, 1, "RO access", "@read @sortedset @slow", "sorted-set", "1.0.5", "Returns members in a sorted set within a range of scores."),
        Row("ZREVRANGEBYSCORE", -4, "readonly", 1, 1, 1, "RO access", "@read @sortedset @slow", "sorted-set", "2.2.0", "Returns members in a sorted set within a range of scores in reverse order."),
        Row("ZRANGEBYLEX", -4, "readonly", 1, 1, 1, "RO access", "@read @sortedset @slow", "sorted-set", "2.8.9", "Returns members in a sorted set within a lexicographical range."),
        Row("ZREVRANGEBYLEX", -4, "readonly", 1, 1, 1, "RO access", "@read @sortedset @slow", "sorted-set", "2.8.9", "Returns members in a sorted set within a lexicographical range in reverse order."),
        Row("ZREM", -3, "write fast", 1, 1, 1, "RW delete", "@write @sortedset @fast", "sorted-set", "1.2.0", "Removes one or more members from a sorted set. Deletes the sorted set if all members were removed."),
        Row("ZREMRANGEBYRANK", 4, "write", 1, 1, 1, "RW delete", "@write @sortedset @slow", "sorted-set", "2.0.0", "Removes members in a sorted set within a range of indexes. Deletes the sorted set if all members were removed."),
        Row("ZREMRANGEBYSCORE", 4, "write", 1, 1, 1, "RW delete", "@write @sortedset @slow", "sorted-set", "1.2.0", "Removes members in a sorted set within a range of scores. Deletes the sorted set if all members were removed."),
        Row("ZREMRANGEBYLEX", 4, "write", 1, 1, 1, "RW delete", "@write @sortedset @slow", "sorted-set", "2.8.9", "Removes members in a sorted set within a lexicographical range. Deletes the sorted set if all members were removed."),
        Row("ZPOPMIN", -2, "write fast", 1, 1, 1, "RW access delete", "@write @sortedset @fast", "sorted-set", "5.0.0", "Returns the lowest-scoring members from a sorted set after removing them. Deletes the sorted set if the last member was popped."),
        Row("ZPOPMAX", -2, "write fast", 1, 1, 1, "RW access delete", "@write @sortedset @fast", "sorted-set", "5.0.0", "Returns the highest-scoring members from a sorted set after removing them. Deletes the sorted set if the last member was popped."),
        Row("ZMPOP", -4, "write movablekeys", 0, 0, 0, "RW access delete", "@write @sortedset @slow", "sorted-set", "7.0.0", "Returns the highest- or lowest-scoring members from one or more sorted sets after removing them. Deletes the sorted set if the last member was popped."),
        Row("BZPOPMIN", -3, "write noscript blocking fast", 1, -2, 1, "RW access delete", "@write @sortedset @fast @blocking", "sorted-set", "5.0.0", "Removes and returns the member with the lowest score from one or more sorted sets. Blocks until a member is available otherwise. Deletes the sorted set if the last element was popped."),
        Row("BZPOPMAX", -3, "write noscript blocking fast", 1, -2, 1, "RW access delete", "@write @sortedset @fast @blocking", "sorted-set", "5.0.0", "Removes and returns the member with the highest score from one or more sorted sets. Blocks until a member available otherwise.  Deletes the sorted set if the last element was popped."),
        // Its keys are counted by numkeys after the timeout (movablekeys).
        Row("BZMPOP", -5, "write blocking movablekeys", 0, 0, 0, "RW access delete", "@write @sortedset @slow @blocking", "sorted-set", "7.0.0", "Removes and returns a member by score from one or more sorted sets. Blocks until a member is available otherwise. Deletes the sorted set if the last element was popped."),
        Row("ZRANDMEMBER", -2, "readonly", 1, 1, 1, "RO access", "@read @sortedset @slow", "sorted-set", "6.2.0", "Returns one or more random members from a sorted set."),
        Row("ZSCAN", -3, "readonly", 1, 1, 1, "RO access", "@read @sortedset @slow", "sorted-set", "2.8.0", "Iterates over members and scores of a sorted set."),
        Row("ZUNION", -3, "readonly movablekeys", 0, 0, 0, "RO access", "@read @sortedset @slow", "sorted-set", "6.2.0", "Returns the union of multiple sorted sets."),
        Row("ZINTER", -3, "readonly movablekeys", 0, 0, 0, "RO access", "@read @sortedset @slow", "sorted-set", "6.2.0", "Returns the intersect of multiple sorted sets."),
        Row("ZDIFF", -3, "readonly movablekeys", 0, 0, 0, "RO access", "@read @sortedset @slow", "sorted-set", "6.2.0", "Returns the difference between multiple sorted sets."),
        Row("ZUNIONSTORE", -4, "write denyoom movablekeys", 1, 1, 1, "RW access update", "@write @sortedset @slow", "sorted-set", "2.0.0", "Stores the union of multiple sorted sets in a key."),
        Row("ZINTERSTORE", -4, "write denyoom movablekeys", 1, 1, 1, "RW access update", "@write @sortedset @slow", "sorted-set", "2.0.0", "Stores the intersect of multiple sorted sets in a key."),
        Row("ZDIFFSTORE", -4, "write denyoom movablekeys", 1, 1, 1, "RW access update", "@write @sortedset @slow", "sorted-set", "6.2.0", "Stores the difference of multiple sorted sets in a key."),
        Row("ZINTERCARD", -3, "readonly movablekeys", 0, 0, 0, "RO access", "@read @sortedset @slow", "sorted-set", "7.0.0", "Returns the number of members of the intersect of multiple sorted sets."),
        Row("DBSIZE", 1, "readonly fast", 0, 0, 0, "", "@keyspace @read @fast", "server", "1.0.0", "Returns the number of keys in the database."),
        Row("FLUSHALL", -1, "write", 0, 0, 0, "", "@keyspace @write @slow @dangerous", "server", "1.0.0", "Removes all keys from all databases."),
        Row("FLUSHDB", -1, "write", 0, 0, 0, "", "@keyspace @write @slow @dangerous", "server", "1.0.0", "Remove all keys from the current database."),
        Row("SCAN", -2, "readonly", 0, 0, 0, "", "@keyspace @read @slow", "generic", "2.8.0", "Iterates over the key names in the database."),
        Row("INFO", -1, "loading stale", 0, 0, 0, "", "@slow @dangerous", "server", "1.0.0", "Returns information and statistics about the server."),
        Row("CONFIG", -2, "admin noscript loading stale", 0, 0, 0, "", "@admin @slow @dangerous", "server", "2.0.0", "A container for server configuration commands."),
        Row("ACL", -2, "noscript loading stale", 0, 0, 0, "", "@slow", "server", "6.0.0", "A container for Access List Control commands."),
    ]);

    /// <summary>Redis 7's ACL categories (ACL CAT), whether or not a DistCache command is in them, so a
    /// users file written for Redis parses.</summary>
    public static readonly IReadOnlyList<string> Categories =
    [
        "keyspace", "read", "write", "set", "sortedset", "list", "hash", "string", "bitmap", "hyperloglog", "geo", "stream",
        "pubsub", "admin", "fast", "slow", "blocking", "dangerous", "connection", "transaction", "scripting",
    ];

    private static readonly Dictionary<string, RespCommandSpec> ByName = All.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The row of a command, by its name in any case; null for a command the endpoint does not have.</summary>
    public static RespCommandSpec? Find(string? name) => name is not null && ByName.TryGetValue(name, out var spec) ? spec : null;

    private static RespCommandSpec Row(
        string name, int arity, string flags, int first, int last, int step, string keyFlags, string categories, string group, string since, string summary) =>
        new(name, arity, Words(flags), first, last, step, Words(keyFlags), Words(categories), group, since, summary);

    private static string[] Words(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static RespCommandSpec[] Number(RespCommandSpec[] rows) => rows.Select((row, i) => row with { Index = i }).ToArray();
}
