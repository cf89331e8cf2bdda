// Package jsonobj decodes flat JSON objects, the shape of one import line
// in the API and in JSON Lines files: one object whose values are strings,
// numbers, booleans or null. It is strict where encoding/json is lenient: a
// key given twice is an error naming it (encoding/json keeps the last
// value, so {"origin":"JP","origin":"CN"} would silently read as China), a
// nested value is an error naming its key, and numbers keep the text they
// were written with, so no amount loses precision.
//
// It knows nothing of levy's field names and must not import any levy
// package.
package jsonobj

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// Error is a problem with one key of an object, or with the object itself
// when Key is empty.
type Error struct {
	Key string
	Msg string
}

func (e *Error) Error() string {
	if e.Key == "" {
		return e.Msg
	}
	return fmt.Sprintf("%s: %s", e.Key, e.Msg)
}

// ErrNotObject is returned when the input is not a JSON object.
var ErrNotObject = errors.New("not a JSON object")

// Field is called for every member of an object in document order. text is
// the string's value, the number as written, or "true"/"false"; null is
// true for a JSON null (text is then empty).
type Field func(key, text string, null bool) error

// Decode reads exactly one object from b and calls f for each member; any
// data after the object is an error. Errors from f are returned as they are.
func Decode(b []byte, f Field) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := DecodeNext(dec, f); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return &Error{Msg: "more data after the object; give exactly one JSON object"}
	}
	return nil
}

// DecodeNext reads the next value of dec, which must be an object, and
// calls f for each member. It lets a caller walk a stream of objects, such
// as the elements of a JSON array, one at a time. dec's UseNumber setting
// does not matter: numbers are always passed as written.
func DecodeNext(dec *json.Decoder, f Field) error {
	dec.UseNumber()
	t, err := dec.Token()
	if err != nil {
		return syntax(err)
	}
	if d, ok := t.(json.Delim); !ok || d != '{' {
		return ErrNotObject
	}
	var seen keys
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return syntax(err)
		}
		key, _ := t.(string) // object keys are always strings
		if seen.add(key) {
			return &Error{Key: key, Msg: "given more than once; only one value can be meant"}
		}
		t, err = dec.Token()
		if err != nil {
			return syntax(err)
		}
		var text string
		null := false
		switch v := t.(type) {
		case string:
			text = v
		case json.Number:
			text = v.String()
		case bool:
			text = "false"
			if v {
				text = "true"
			}
		case nil:
			null = true
		case json.Delim:
			return &Error{Key: key, Msg: "must be a string, a number or a boolean, not an object or array"}
		}
		if err := f(key, text, null); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return syntax(err)
	}
	return nil
}

func syntax(err error) error {
	if err == io.EOF {
		return &Error{Msg: "unexpected end of JSON input"}
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return &Error{Msg: fmt.Sprintf("invalid JSON at byte %d: %s", se.Offset, se.Error())}
	}
	return &Error{Msg: "invalid JSON: " + err.Error()}
}

// keys remembers the keys of one object: a short list scanned in order,
// then a map once objects grow large, so a hostile object with thousands
// of keys costs linear time.
type keys struct {
	list []string
	set  map[string]struct{}
}

// add records k and reports whether it was already there.
func (s *keys) add(k string) bool {
	if s.set != nil {
		if _, ok := s.set[k]; ok {
			return true
		}
		s.set[k] = struct{}{}
		return false
	}
	for _, x := range s.list {
		if x == k {
			return true
		}
	}
	s.list = append(s.list, k)
	if len(s.list) > 16 {
		s.set = make(map[string]struct{}, 2*len(s.list))
		for _, x := range s.list {
			s.set[x] = struct{}{}
		}
	}
	return false
}
