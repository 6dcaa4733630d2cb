package carehqtest

import (
	"encoding/binary"
	"encoding/hex"
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
)

// The layouts of CareHQ's dates and date/times; date/times are UTC.
const (
	dateLayout     = "2006-01-02"
	dateTimeLayout = "2006-01-02 15:04:05"
)

// store holds the service users and locations of one server. It is safe
// for concurrent use.
type store struct {
	mu           sync.RWMutex
	users        []*serviceUser // in the order they were stored
	byID         map[string]*serviceUser
	accountCodes map[string]bool
	refs         map[string]bool
	lastRef      int
	locations    []string
	locationSet  map[string]bool
	ids          idGenerator
}

func newStore(seed uint64, locationID string) *store {
	st := &store{
		byID:         make(map[string]*serviceUser),
		accountCodes: make(map[string]bool),
		refs:         make(map[string]bool),
		locationSet:  make(map[string]bool),
		ids:          newIDGenerator(seed),
	}
	st.addLocation(locationID)

	return st
}

// idGenerator makes Ids shaped like CareHQ's (MongoDB object Ids): four
// bytes of Unix seconds, five fixed bytes and a three-byte counter, so that
// Ids sort roughly by creation time, as CareHQ's do.
type idGenerator struct {
	fixed   [5]byte
	counter uint32
}

func newIDGenerator(seed uint64) idGenerator {
	r := rand.New(rand.NewPCG(seed, 0x1d5))
	var g idGenerator
	for i := range g.fixed {
		g.fixed[i] = byte(r.Uint32())
	}
	g.counter = r.Uint32() & 0xffffff

	return g
}

func (g *idGenerator) next(t time.Time) string {
	var b [12]byte
	binary.BigEndian.PutUint32(b[:4], uint32(t.Unix()))
	copy(b[4:9], g.fixed[:])
	g.counter = (g.counter + 1) & 0xffffff
	b[9], b[10], b[11] = byte(g.counter>>16), byte(g.counter>>8), byte(g.counter)

	return hex.EncodeToString(b[:])
}

// newID returns an Id no record or location has. The caller holds mu.
func (st *store) newID(t time.Time) string {
	for {
		id := st.ids.next(t)
		if st.byID[id] == nil && !st.locationSet[id] {
			return id
		}
	}
}

// normalID returns id in lower case if it is 24 hexadecimal characters.
func normalID(id string) (string, bool) {
	if len(id) != 24 {
		return "", false
	}
	if _, err := hex.DecodeString(id); err != nil {
		return "", false
	}

	return strings.ToLower(id), true
}

func (st *store) addLocation(id string) {
	if st.locationSet[id] {
		return
	}
	st.locationSet[id] = true
	st.locations = append(st.locations, id)
}

// newLocation adds a location with a fresh Id and returns the Id.
func (st *store) newLocation(now time.Time) string {
	st.mu.Lock()
	defer st.mu.Unlock()

	id := st.newID(now)
	st.addLocation(id)

	return id
}

func (st *store) knownLocation(id string) bool {
	st.mu.RLock()
	defer st.mu.RUnlock()

	return st.locationSet[id]
}

func (st *store) locationIDs() []string {
	st.mu.RLock()
	defer st.mu.RUnlock()

	return append([]string(nil), st.locations...)
}

// insertNew completes a validated service user from a create (its Id, ref,
// account code, status and times) and stores it. It fails with messages per
// parameter when the account code or ref is taken, which can only be
// checked under the store's lock.
func (st *store) insertNew(u *serviceUser, now time.Time) map[string][]string {
	st.mu.Lock()
	defer st.mu.Unlock()

	errs := make(map[string][]string)
	if code := u.text(atAccountCode); code != "" && st.accountCodes[code] {
		errs["account_code"] = append(errs["account_code"], msgTaken)
	}
	if ref := u.text(atRef); ref != "" && st.refs[ref] {
		errs["ref"] = append(errs["ref"], msgTaken)
	}
	if len(errs) > 0 {
		return errs
	}

	stamp := formatDateTime(now)
	u.values[atID] = st.newID(now)
	u.values[atCreated] = stamp
	u.values[atModified] = stamp
	u.values[atStatus] = "pending"
	if u.values[atRef] == nil {
		u.values[atRef] = st.nextRef()
	}
	if u.values[atAccountCode] == nil {
		u.values[atAccountCode] = st.accountCodeFor(u)
	}
	st.put(u)

	return nil
}

// nextRef returns the next free numeric reference. The caller holds mu.
//
// CareHQ numbers service users itself when no ref is given; counting on
// from the highest numeric ref is this server's guess at how.
func (st *store) nextRef() string {
	for {
		st.lastRef++
		ref := strconv.Itoa(st.lastRef)
		if !st.refs[ref] {
			return ref
		}
	}
}

// accountCodeFor generates an account code such as AM0404: the initials of
// the name and the ref, as in CareHQ's documented example. The caller holds
// mu.
func (st *store) accountCodeFor(u *serviceUser) string {
	initials := initial(u.text(atFirstName)) + initial(u.text(atLastName))
	ref, err := strconv.Atoi(u.text(atRef))
	if err != nil {
		ref = st.lastRef
	}
	number := strconv.Itoa(ref)
	if len(number) < 4 {
		number = "0000"[len(number):] + number
	}
	code := initials + number
	for n := 2; st.accountCodes[code]; n++ {
		code = initials + number + "-" + strconv.Itoa(n)
	}

	return code
}

// initial returns the first letter of a name in upper case, or X.
func initial(name string) string {
	for _, r := range name {
		if unicode.IsLetter(r) && r < unicode.MaxASCII {
			return string(unicode.ToUpper(r))
		}
	}

	return "X"
}

// reserve makes room for n more records at once, which is much cheaper
// than letting the indexes grow step by step while seeding. The caller
// holds mu.
func (st *store) reserve(n int) {
	if n < len(st.users) {
		return
	}
	st.users = slices.Grow(st.users, n)
	st.byID = grown(st.byID, n)
	st.accountCodes = grown(st.accountCodes, n)
	st.refs = grown(st.refs, n)
}

// grown returns a copy of m with room for n more entries.
func grown[V any](m map[string]V, n int) map[string]V {
	out := make(map[string]V, len(m)+n)
	maps.Copy(out, m)

	return out
}

// put stores a complete record and indexes it. The caller holds mu.
func (st *store) put(u *serviceUser) {
	u.fullName = strings.ToLower(u.text(atFirstName) + " " + u.text(atLastName))
	st.users = append(st.users, u)
	st.byID[u.id()] = u
	if code := u.text(atAccountCode); code != "" {
		st.accountCodes[code] = true
	}
	if ref := u.text(atRef); ref != "" {
		st.refs[ref] = true
		if n, err := strconv.Atoi(ref); err == nil && n > st.lastRef {
			st.lastRef = n
		}
	}
}

func (st *store) get(id string) *serviceUser {
	st.mu.RLock()
	defer st.mu.RUnlock()

	return st.byID[id]
}

func (st *store) count() int {
	st.mu.RLock()
	defer st.mu.RUnlock()

	return len(st.users)
}

// snapshot returns the stored records in the order they were stored. The
// records themselves are shared: they never change.
func (st *store) snapshot() []*serviceUser {
	st.mu.RLock()
	defer st.mu.RUnlock()

	return append([]*serviceUser(nil), st.users...)
}

// filter returns the records keep accepts, in the order they were stored.
func (st *store) filter(keep func(*serviceUser) bool) []*serviceUser {
	st.mu.RLock()
	defer st.mu.RUnlock()

	var out []*serviceUser
	for _, u := range st.users {
		if keep(u) {
			out = append(out, u)
		}
	}

	return out
}

// formatDate writes t as YYYY-MM-DD, as time.Format would with dateLayout
// but several times faster: seeding writes hundreds of thousands.
func formatDate(t time.Time) string {
	var b [10]byte
	appendDate(b[:0], t)

	return string(b[:])
}

// formatDateTime writes t as YYYY-MM-DD HH:MM:SS in UTC.
func formatDateTime(t time.Time) string {
	t = t.UTC()
	var b [19]byte
	out := appendDate(b[:0], t)
	hour, minute, second := t.Clock()
	out = append(out, ' ')
	out = appendTwoDigits(out, hour)
	out = append(out, ':')
	out = appendTwoDigits(out, minute)
	out = append(out, ':')

	return string(appendTwoDigits(out, second))
}

func appendDate(b []byte, t time.Time) []byte {
	year, month, day := t.Date()
	b = append(b, byte('0'+year/1000%10), byte('0'+year/100%10))
	b = appendTwoDigits(b, year%100)
	b = append(b, '-')
	b = appendTwoDigits(b, int(month))
	b = append(b, '-')

	return appendTwoDigits(b, day)
}

func appendTwoDigits(b []byte, n int) []byte {
	return append(b, byte('0'+n/10), byte('0'+n%10))
}
