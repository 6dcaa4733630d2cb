package carehq

import (
	"encoding/binary"
	"fmt"
	"math/bits"
	"unicode/utf16"
	"unicode/utf8"
)

// This file holds a small JSON reader that works on a document held in
// memory. It checks the syntax of everything it passes over, including
// values it skips, so that it accepts exactly the documents encoding/json
// accepts, and it reports the byte offset of the first mistake.

// maxDepth is how deeply arrays and objects may nest. It is encoding/json's
// limit, so that both agree on which documents are well formed, and it keeps
// the recursion in skip bounded.
const maxDepth = 10000

// valueKind is the kind of a JSON value.
type valueKind uint8

const (
	kindString valueKind = iota + 1
	kindNumber
	kindTrue
	kindFalse
	kindNull
	kindObject
	kindArray
)

// String names the kind for error messages.
func (k valueKind) String() string {
	switch k {
	case kindString:
		return "a string"
	case kindNumber:
		return "a number"
	case kindTrue, kindFalse:
		return "a boolean"
	case kindNull:
		return "null"
	case kindObject:
		return "an object"
	case kindArray:
		return "an array"
	}

	return "nothing"
}

// token is one value found by the decoder. A string, number or literal has
// been read whole and spans data[start:end], quotes included. For an object
// or an array only the opening bracket has been seen, and end stays 0 until
// the caller has walked through it or called finish to pass over it.
type token struct {
	kind  valueKind
	esc   bool // a string with escapes or invalid UTF-8, to be unquoted
	start int
	end   int
}

// decoder reads JSON from data, starting at pos.
type decoder struct {
	data  []byte
	pos   int
	depth int // objects and arrays open around pos

	text     []byte // unquoted text of the last string value that needed it
	keyText  []byte // unquoted text of the last object key that needed it
	problems []FieldProblem
}

// syntaxError reports a document that is not well-formed JSON. It never
// quotes the document, which may hold personal data.
type syntaxError struct {
	offset int // the byte at which reading stopped
	msg    string
}

// Error gives the offset and the kind of mistake.
func (e *syntaxError) Error() string {
	return fmt.Sprintf("carehq: invalid JSON at byte %d: %s", e.offset, e.msg)
}

func (d *decoder) fail(at int, msg string) error {
	return &syntaxError{offset: at, msg: msg}
}

func (d *decoder) failEOF() error {
	return d.fail(len(d.data), "unexpected end of input")
}

// space marks the bytes JSON allows between tokens.
var space = [256]bool{' ': true, '\t': true, '\n': true, '\r': true}

// stringStop marks the bytes that end the plain run of a string: the closing
// quote, a backslash, control characters (not allowed raw) and the first
// byte of any multi-byte UTF-8 sequence, which needs checking.
var stringStop = func() (stop [256]bool) {
	for c := range stop {
		stop[c] = c < 0x20 || c == '"' || c == '\\' || c >= utf8.RuneSelf
	}

	return stop
}()

// skipSpace moves pos past any white space. Compact JSON has none, so the
// common case returns at the first test.
func (d *decoder) skipSpace() {
	if d.pos < len(d.data) && d.data[d.pos] > ' ' {
		return
	}
	d.skipSpaceSlow()
}

func (d *decoder) skipSpaceSlow() {
	pos := d.pos
	for pos < len(d.data) && space[d.data[pos]] {
		pos++
	}
	d.pos = pos
}

// next reads the next value after any white space.
func (d *decoder) next() (token, error) {
	d.skipSpace()
	if d.pos >= len(d.data) {
		return token{}, d.failEOF()
	}

	switch c := d.data[d.pos]; c {
	case '"':
		return d.scanString()
	case '{':
		return token{kind: kindObject, start: d.pos}, nil
	case '[':
		return token{kind: kindArray, start: d.pos}, nil
	case 't':
		return d.literal("true", kindTrue)
	case 'f':
		return d.literal("false", kindFalse)
	case 'n':
		return d.literal("null", kindNull)
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return d.scanNumber()
	}

	return token{}, d.fail(d.pos, "invalid character at the start of a value")
}

func (d *decoder) literal(word string, kind valueKind) (token, error) {
	start := d.pos
	for i := 0; i < len(word); i++ {
		if d.pos >= len(d.data) {
			return token{}, d.failEOF()
		}
		if d.data[d.pos] != word[i] {
			return token{}, d.fail(d.pos, "invalid literal")
		}
		d.pos++
	}

	return token{kind: kind, start: start, end: d.pos}, nil
}

// scanString reads a string starting at its opening quote. It checks every
// escape and notes whether the text needs unquoting.
func (d *decoder) scanString() (token, error) {
	data := d.data
	start := d.pos
	esc := false
	i := start + 1
	for {
		i = plainRun(data, i)
		if i >= len(data) {
			return token{}, d.failEOF()
		}

		switch c := data[i]; {
		case c == '"':
			d.pos = i + 1
			return token{kind: kindString, esc: esc, start: start, end: i + 1}, nil
		case c == '\\':
			esc = true
			n, err := d.escapeLen(i)
			if err != nil {
				return token{}, err
			}
			i += n
		case c < 0x20:
			return token{}, d.fail(i, "control character in string")
		default:
			r, size := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && size == 1 {
				esc = true
			}
			i += size
		}
	}
}

// Masks for examining eight bytes at once.
const (
	everyByte    = 0x0101010101010101
	everyHighBit = 0x8080808080808080
)

// plainRun returns the position of the first byte from i on that ends a
// plain run of string text (see stringStop), or len(data).
func plainRun(data []byte, i int) int {
	// Eight bytes at a time: a byte's high bit in stop is set if the byte is
	// a quote, a backslash, below 0x20 or above 0x7f. Borrows only carry
	// upwards, so the lowest set bit always marks the first such byte.
	for ; i+8 <= len(data); i += 8 {
		x := binary.LittleEndian.Uint64(data[i:])
		quote := x ^ (everyByte * '"')
		backslash := x ^ (everyByte * '\\')
		stop := (quote - everyByte) &^ quote
		stop |= (backslash - everyByte) &^ backslash
		stop |= (x - everyByte*0x20) | x
		if stop &= everyHighBit; stop != 0 {
			return i + bits.TrailingZeros64(stop)/8
		}
	}

	for i < len(data) && !stringStop[data[i]] {
		i++
	}

	return i
}

// escapeLen checks the escape sequence whose backslash is at i and returns
// its length.
func (d *decoder) escapeLen(i int) (int, error) {
	data := d.data
	if i+1 >= len(data) {
		return 0, d.failEOF()
	}

	switch data[i+1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return 2, nil
	case 'u':
		for j := i + 2; j < i+6; j++ {
			if j >= len(data) {
				return 0, d.failEOF()
			}
			if hexValue(data[j]) < 0 {
				return 0, d.fail(j, "invalid \\u escape in string")
			}
		}
		return 6, nil
	}

	return 0, d.fail(i+1, "invalid escape in string")
}

func hexValue(c byte) rune {
	switch {
	case c >= '0' && c <= '9':
		return rune(c - '0')
	case c >= 'a' && c <= 'f':
		return rune(c - 'a' + 10)
	case c >= 'A' && c <= 'F':
		return rune(c - 'A' + 10)
	}

	return -1
}

// hex4 returns the code unit written as four hex digits at the start of s,
// or -1 if s does not start with a \u escape.
func hex4(s []byte) rune {
	if len(s) < 6 || s[0] != '\\' || s[1] != 'u' {
		return -1
	}

	var r rune
	for _, c := range s[2:6] {
		v := hexValue(c)
		if v < 0 {
			return -1
		}
		r = r<<4 | v
	}

	return r
}

// unquote appends the text of a checked string body s to b. Invalid UTF-8
// and unpaired surrogates become U+FFFD, as encoding/json does.
func unquote(b, s []byte) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\\':
			switch s[i+1] {
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				r := hex4(s[i:])
				i += 6
				if utf16.IsSurrogate(r) {
					pair := utf16.DecodeRune(r, hex4(s[i:]))
					if pair != utf8.RuneError {
						b = utf8.AppendRune(b, pair)
						i += 6
						continue
					}
					r = utf8.RuneError
				}
				b = utf8.AppendRune(b, r)
				continue
			default: // '"', '\\' and '/' stand for themselves
				b = append(b, s[i+1])
			}
			i += 2
		case c < utf8.RuneSelf:
			b = append(b, c)
			i++
		default:
			r, size := utf8.DecodeRune(s[i:])
			b = utf8.AppendRune(b, r)
			i += size
		}
	}

	return b
}

// textOf returns the text of a string token. The result may share memory
// with the decoder and is valid only until the next string is unquoted.
func (d *decoder) textOf(t token) []byte {
	body := d.data[t.start+1 : t.end-1]
	if !t.esc {
		return body
	}
	d.text = unquote(d.text[:0], body)

	return d.text
}

// stringOf returns the text of a string token as a new string.
func (d *decoder) stringOf(t token) string { return string(d.textOf(t)) }

// scanNumber reads a number, checking it against JSON's grammar.
func (d *decoder) scanNumber() (token, error) {
	end, ok := numberEnd(d.data, d.pos)
	if !ok {
		if end >= len(d.data) {
			return token{}, d.failEOF()
		}
		return token{}, d.fail(end, "invalid number")
	}

	start := d.pos
	d.pos = end

	return token{kind: kindNumber, start: start, end: end}, nil
}

// numberEnd returns where the number that starts at b[i] ends. If the
// number is malformed, ok is false and end is the offending position.
func numberEnd(b []byte, i int) (end int, ok bool) {
	if i < len(b) && b[i] == '-' {
		i++
	}

	switch {
	case i >= len(b):
		return i, false
	case b[i] == '0':
		i++
	case b[i] >= '1' && b[i] <= '9':
		i = skipDigits(b, i+1)
	default:
		return i, false
	}

	if i < len(b) && b[i] == '.' {
		j := skipDigits(b, i+1)
		if j == i+1 {
			return j, false
		}
		i = j
	}

	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		j := skipDigits(b, i)
		if j == i {
			return j, false
		}
		i = j
	}

	return i, true
}

func skipDigits(b []byte, i int) int {
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
	}

	return i
}

// isNumber reports whether b is exactly one JSON number, so that numeric
// strings are held to the same grammar as numbers (no "NaN", "0x10" or
// " 1").
func isNumber(b []byte) bool {
	end, ok := numberEnd(b, 0)

	return ok && end == len(b)
}

// enter steps into the object or array whose bracket is at pos.
func (d *decoder) enter() error {
	d.depth++
	if d.depth > maxDepth {
		return d.fail(d.pos, "objects and arrays nested too deeply")
	}
	d.pos++

	return nil
}

// open steps into the object or array at pos and reports whether it is
// empty, in which case it has also been closed.
func (d *decoder) open(closer byte) (empty bool, err error) {
	if err := d.enter(); err != nil {
		return false, err
	}

	d.skipSpace()
	if d.pos < len(d.data) && d.data[d.pos] == closer {
		d.pos++
		d.depth--
		return true, nil
	}

	return false, nil
}

// more reads what follows a value inside an object or array: true after a
// comma, false after the closing bracket.
func (d *decoder) more(closer byte) (bool, error) {
	d.skipSpace()
	if d.pos >= len(d.data) {
		return false, d.failEOF()
	}

	switch d.data[d.pos] {
	case ',':
		d.pos++
		return true, nil
	case closer:
		d.pos++
		d.depth--
		return false, nil
	}

	if closer == '}' {
		return false, d.fail(d.pos, "want ',' or '}' after an object member")
	}

	return false, d.fail(d.pos, "want ',' or ']' after an array element")
}

// key reads an object member's name and the colon after it. The result is
// valid only until the next key is read.
func (d *decoder) key() ([]byte, error) {
	d.skipSpace()
	if d.pos >= len(d.data) {
		return nil, d.failEOF()
	}
	if d.data[d.pos] != '"' {
		return nil, d.fail(d.pos, "want a string as an object key")
	}

	t, err := d.scanString()
	if err != nil {
		return nil, err
	}

	d.skipSpace()
	if d.pos >= len(d.data) {
		return nil, d.failEOF()
	}
	if d.data[d.pos] != ':' {
		return nil, d.fail(d.pos, "want ':' after an object key")
	}
	d.pos++

	body := d.data[t.start+1 : t.end-1]
	if !t.esc {
		return body, nil
	}
	d.keyText = unquote(d.keyText[:0], body)

	return d.keyText, nil
}

// skip passes over the next value, whatever it is, checking its syntax.
func (d *decoder) skip() error {
	t, err := d.next()
	if err != nil {
		return err
	}
	_, err = d.finish(t)

	return err
}

// finish passes over the rest of t if it is an object or an array, and
// returns t with its end set.
func (d *decoder) finish(t token) (token, error) {
	var err error
	switch t.kind {
	case kindObject:
		err = d.skipObject()
	case kindArray:
		err = d.skipArray()
	default:
		return t, nil
	}
	t.end = d.pos

	return t, err
}

func (d *decoder) skipObject() error {
	empty, err := d.open('}')
	if err != nil || empty {
		return err
	}

	for {
		if _, err := d.key(); err != nil {
			return err
		}
		if err := d.skip(); err != nil {
			return err
		}
		more, err := d.more('}')
		if err != nil || !more {
			return err
		}
	}
}

func (d *decoder) skipArray() error {
	empty, err := d.open(']')
	if err != nil || empty {
		return err
	}

	for {
		if err := d.skip(); err != nil {
			return err
		}
		more, err := d.more(']')
		if err != nil || !more {
			return err
		}
	}
}

// end checks that only white space follows the top-level value.
func (d *decoder) end() error {
	d.skipSpace()
	if d.pos < len(d.data) {
		return d.fail(d.pos, "data after the top-level value")
	}

	return nil
}

// document reads a whole document holding one value and returns it.
func (d *decoder) document() (token, error) {
	t, err := d.next()
	if err != nil {
		return t, err
	}
	if t, err = d.finish(t); err != nil {
		return t, err
	}

	return t, d.end()
}
