package pricing

import (
	"errors"
	"fmt"
	"strings"
)

// Source tells where a price row came from.
type Source string

// Sources of price rows.
const (
	SourceInline  Source = "inline"  // Options.Models
	SourceFile    Source = "file"    // Options.Files
	SourceBuiltin Source = "builtin" // the embedded Mistral table
)

// Entry is the result of a lookup: the price row used and where it came from.
type Entry struct {
	// Model is the row's model name without provider prefix, as written in
	// its source ("codestral-2508" for the row "mistral/codestral-2508").
	Model string
	// Key is the row key as written in its source ("mistral/codestral-2508").
	Key string
	// Alias is the alias name the lookup went through ("codestral-latest"),
	// "" when the name matched a row directly.
	Alias  string
	Price  Price
	Source Source
}

// Options selects the price sources of a [Table].
type Options struct {
	Builtin bool              // include the built-in Mistral table and its aliases
	Files   []string          // price files; a later file wins over an earlier one
	Models  map[string]Price  // inline prices (USD per 1M tokens), highest precedence
	Aliases map[string]string // alias → model row; beats files and builtin, not Models
}

// Table resolves model names to prices. It is immutable after [Build] and
// safe for concurrent use.
type Table struct {
	index   map[string]int32 // lower-cased bare names and prefixed row keys → entries
	user    map[string]int32 // the same, for names a user source (inline, alias, file) prices
	entries []Entry
	names   int // distinct bare names (rows and aliases)
}

// Build loads every source of o and merges them.
//
// Precedence, highest first: inline models (Options.Models), user aliases
// (Options.Aliases), files (a later file beats an earlier one), built-in
// aliases, built-in rows. A row from a source of higher precedence wins even
// when it is less specific: an inline "gpt-4o" also prices "azure/gpt-4o"
// when the azure row comes from a file. Within one source, for a bare model
// name carried by several rows, a row without provider prefix beats a row
// with a first-party prefix (see specificity), which beats any other prefix;
// remaining ties go to the alphabetically first key, so the result never
// depends on map order.
//
// An alias prices a name (typically a "-latest" name) as a row. It takes
// effect when no row for the alias name exists at its level of precedence or
// above: built-in aliases correct stale or missing built-in rows but never
// override a user's file or inline row; a user alias beats files and the
// built-in table but not an inline model of the same name. A built-in
// alias's target must name a row; a user alias's target may name a row or a
// built-in alias, not another user alias. Targets are resolved with the full
// precedence, so overriding the target's price also changes the alias's.
//
// Errors name the configuration field and the entry, e.g.
//
//	pricing.files[1] "prices.json": entry "mistral/foo": input_cost_per_token: must be a non-negative number, got "abc"
//	pricing.models "my-finetune": output: must be a non-negative number, got -1
//	pricing.aliases "my-latest": target "nope" has no price row
func Build(o Options) (*Table, error) {
	var (
		rankBuiltin      = 0
		rankBuiltinAlias = 1
		rankFile0        = 2
		rankUserAlias    = rankFile0 + len(o.Files)
		rankInline       = rankUserAlias + 1
	)
	b := builder{full: map[string]*candidate{}, bare: map[string]*candidate{}, userRank: rankFile0}
	if o.Builtin {
		rows, err := builtinRows()
		if err != nil {
			return nil, err
		}
		b.addAll(rankBuiltin, rows, SourceBuiltin)
	}
	for i, path := range o.Files {
		if strings.TrimSpace(path) == "" {
			return nil, fmt.Errorf("pricing.files[%d]: empty path", i)
		}
		rows, _, err := loadFile(path)
		if err != nil {
			return nil, fmt.Errorf("pricing.files[%d] %w", i, err)
		}
		b.addAll(rankFile0+i, rows, SourceFile)
	}
	for _, name := range sortedKeys(o.Models) {
		p := o.Models[name]
		if err := checkModelKey(name); err != nil {
			return nil, fmt.Errorf("pricing.models %q: %w", name, err)
		}
		if err := p.Validate(); err != nil {
			return nil, fmt.Errorf("pricing.models %q: %w", name, err)
		}
		p.HasCacheRead = p.HasCacheRead || p.CacheRead != 0
		p.HasCacheWrite = p.HasCacheWrite || p.CacheWrite != 0
		b.add(rankInline, name, p, SourceInline)
	}

	// Built-in aliases resolve against rows; user aliases against rows and
	// built-in aliases. Within each group every target is resolved before any
	// alias of the group is installed, so aliases of one group do not chain.
	if o.Builtin {
		var aliases []*candidate
		for _, a := range builtinAliases {
			c, err := b.alias(rankBuiltinAlias, a.Alias, a.Target)
			if err != nil {
				return nil, fmt.Errorf("built-in alias %q: %w", a.Alias, err)
			}
			aliases = append(aliases, c)
		}
		b.install(aliases)
	}
	var aliases []*candidate
	for _, name := range sortedKeys(o.Aliases) {
		c, err := b.alias(rankUserAlias, name, o.Aliases[name])
		if err != nil {
			return nil, fmt.Errorf("pricing.aliases %q: %w", name, err)
		}
		aliases = append(aliases, c)
	}
	b.install(aliases)
	return b.table(), nil
}

// candidate is a row or alias competing for a name while building.
type candidate struct {
	rank  int    // source precedence: higher wins
	spec  int    // specificity within a source (see specificity)
	key   string // row key or alias name as written, the last tie-break
	entry Entry
}

func (c *candidate) beats(o *candidate) bool {
	if c.rank != o.rank {
		return c.rank > o.rank
	}
	if c.spec != o.spec {
		return c.spec > o.spec
	}
	return c.key < o.key
}

func offer(m map[string]*candidate, name string, c *candidate) {
	if cur, ok := m[name]; !ok || c.beats(cur) {
		m[name] = c
	}
}

type builder struct {
	full     map[string]*candidate // lower-cased row keys that carry a prefix
	bare     map[string]*candidate // lower-cased bare model names
	userRank int                   // the lowest rank of a user source
}

func (b *builder) addAll(rank int, rows map[string]Price, src Source) {
	for key, p := range rows {
		b.add(rank, key, p, src)
	}
}

func (b *builder) add(rank int, key string, p Price, src Source) {
	lk := lowerASCII(key)
	prefix, bare := splitPrefix(lk)
	_, model := splitPrefix(key)
	c := &candidate{rank: rank, spec: specificity(prefix), key: key,
		entry: Entry{Model: model, Key: key, Price: p, Source: src}}
	if prefix != "" {
		offer(b.full, lk, c)
	}
	offer(b.bare, bare, c)
}

// resolve finds the row for name the way Table.Lookup would, rows only.
func (b *builder) resolve(name string) *candidate {
	ln := lowerASCII(name)
	prefix, bare := splitPrefix(ln)
	bc := b.bare[bare]
	if prefix != "" {
		if fc := b.full[ln]; fc != nil && (bc == nil || bc.rank <= fc.rank) {
			return fc
		}
	}
	return bc
}

// alias builds the candidate that prices name as target. An alias name's
// provider prefix is dropped: "mistral/x-latest" aliases every "x-latest".
func (b *builder) alias(rank int, name, target string) (*candidate, error) {
	if err := checkModelKey(name); err != nil {
		return nil, err
	}
	if strings.TrimSpace(target) == "" {
		return nil, errors.New("empty target")
	}
	t := b.resolve(target)
	if t == nil {
		return nil, fmt.Errorf("target %q has no price row", target)
	}
	_, bare := splitPrefix(name)
	e := t.entry
	e.Alias = bare
	return &candidate{rank: rank, spec: specificity(""), key: name, entry: e}, nil
}

func (b *builder) install(aliases []*candidate) {
	for _, c := range aliases {
		offer(b.bare, lowerASCII(c.entry.Alias), c)
	}
}

// table freezes the builder into lookup form: every bare name maps to its
// winner; a prefixed key maps to its own row unless the bare name's winner
// comes from a source of higher precedence (an override or alias).
func (b *builder) table() *Table {
	t := &Table{index: make(map[string]int32, len(b.full)+len(b.bare)), user: map[string]int32{}, names: len(b.bare)}
	pos := make(map[*candidate]int32, len(b.bare))
	put := func(name string, c *candidate) {
		i, ok := pos[c]
		if !ok {
			i = int32(len(t.entries))
			t.entries = append(t.entries, c.entry)
			pos[c] = i
		}
		t.index[name] = i
		if c.rank >= b.userRank {
			t.user[name] = i
		}
	}
	for _, name := range sortedKeys(b.bare) {
		put(name, b.bare[name])
	}
	for _, key := range sortedKeys(b.full) {
		c := b.full[key]
		if _, bare := splitPrefix(key); b.bare[bare].rank > c.rank {
			c = b.bare[bare]
		}
		put(key, c)
	}
	return t
}

// Lookup resolves a model name to its price row. It tries, in order: the
// exact name; the name lower-cased (ASCII); the part after the last "/"
// (provider prefixes such as "mistral/", "mistralai/", "azure/eu/"). A
// date or version suffix is never guessed. It returns false when nothing
// matches, for the empty name, and on a nil Table. It does not allocate.
func (t *Table) Lookup(model string) (Entry, bool) {
	if t == nil {
		return Entry{}, false
	}
	return t.lookupIn(t.index, model)
}

// LookupUser is Lookup restricted to the prices a user gave (inline models,
// user aliases, files): a caller tries every name a span carries here
// before any built-in row, so that a user's price for an alias beats the
// built-in price of the dated model the alias points to.
func (t *Table) LookupUser(model string) (Entry, bool) {
	if t == nil {
		return Entry{}, false
	}
	return t.lookupIn(t.user, model)
}

func (t *Table) lookupIn(index map[string]int32, model string) (Entry, bool) {
	if model == "" || len(index) == 0 {
		return Entry{}, false
	}
	if i, ok := index[model]; ok {
		return t.entries[i], true
	}
	if !hasUpperASCII(model) {
		if j := strings.LastIndexByte(model, '/'); j >= 0 {
			if i, ok := index[model[j+1:]]; ok {
				return t.entries[i], true
			}
		}
		return Entry{}, false
	}
	if len(model) > maxNameLen {
		return Entry{}, false
	}
	var buf [maxNameLen]byte
	name := buf[:len(model)]
	copy(name, model)
	lowerBytes(name)
	if i, ok := index[string(name)]; ok { // no allocation: map index by string(bytes)
		return t.entries[i], true
	}
	for j := len(name) - 1; j >= 0; j-- {
		if name[j] == '/' {
			if i, ok := index[string(name[j+1:])]; ok {
				return t.entries[i], true
			}
			break
		}
	}
	return Entry{}, false
}

// Len returns the number of distinct model names the table prices without a
// provider prefix: rows (after precedence) plus aliases.
func (t *Table) Len() int {
	if t == nil {
		return 0
	}
	return t.names
}
