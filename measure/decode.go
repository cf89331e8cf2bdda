package measure

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"reflect"
	"sort"
	"strings"

	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/money"
	"go.yaml.in/yaml/v3"
)

// Error is one problem in a rule file, at a position.
type Error struct {
	Pos Pos
	Msg string
}

func (e *Error) Error() string { return e.Pos.String() + ": " + e.Msg }

// Errors is every problem found in a set of rule files, in file order.
type Errors []*Error

func (es Errors) Error() string {
	var b strings.Builder
	for i, e := range es {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

func (es *Errors) add(p Pos, format string, args ...any) {
	*es = append(*es, &Error{Pos: p, Msg: fmt.Sprintf(format, args...)})
}

// err returns es as an error, or nil when empty.
func (es Errors) err() error {
	if len(es) == 0 {
		return nil
	}
	sort.SliceStable(es, func(i, j int) bool {
		a, b := es[i].Pos, es[j].Pos
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	return es
}

// Parse decodes one rule file strictly: unknown fields, wrong types and
// malformed dates or rates are all reported, each with its position.
func Parse(name string, r io.Reader) (*File, error) {
	var errs Errors
	f := parse(name, r, &errs)
	return f, errs.err()
}

func parse(name string, r io.Reader, errs *Errors) *File {
	var doc yaml.Node
	dec := yaml.NewDecoder(r)
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			errs.add(Pos{File: name}, "empty rule file")
			return nil
		}
		errs.add(Pos{File: name, Line: yamlErrLine(err), Col: 1}, "%s", strings.TrimPrefix(err.Error(), "yaml: "))
		return nil
	}
	f := &File{}
	d := decoder{file: name, errs: errs}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	d.decode(root, reflect.ValueOf(f).Elem())
	f.Pos = Pos{File: name, Line: 1, Col: 1}
	return f
}

func yamlErrLine(err error) int {
	var n int
	if _, e := fmt.Sscanf(err.Error(), "yaml: line %d:", &n); e == nil {
		return n
	}
	return 0
}

// ParseFS reads every *.yaml file under dir in fsys, in lexical order, and
// reports the problems of all of them at once.
func ParseFS(fsys fs.FS, dir string) ([]*File, error) {
	var errs Errors
	var files []*File
	err := fs.WalkDir(fsys, dir, func(p string, de fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if de.IsDir() || (path.Ext(p) != ".yaml" && path.Ext(p) != ".yml") {
			return nil
		}
		fh, err := fsys.Open(p)
		if err != nil {
			return err
		}
		defer fh.Close()
		if f := parse(p, fh, &errs); f != nil {
			files = append(files, f)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading rule files in %s: %w", dir, err)
	}
	if len(files) == 0 && len(errs) == 0 {
		return nil, fmt.Errorf("no rule files (*.yaml) in %s", dir)
	}
	return files, errs.err()
}

type decoder struct {
	file string
	errs *Errors
}

var (
	dateType    = reflect.TypeOf(date.Date(0))
	percentType = reflect.TypeOf(Percent{})
	posType     = reflect.TypeOf(Pos{})
)

func (d *decoder) pos(n *yaml.Node) Pos { return Pos{File: d.file, Line: n.Line, Col: n.Column} }

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return fmt.Sprintf("%q", n.Value)
	case yaml.AliasNode:
		return "an alias"
	}
	return "nothing"
}

// decode fills v from n, reporting every mismatch.
func (d *decoder) decode(n *yaml.Node, v reflect.Value) {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	switch v.Type() {
	case dateType:
		if n.Kind != yaml.ScalarNode {
			d.errs.add(d.pos(n), "want a date YYYY-MM-DD, found %s", kindName(n))
			return
		}
		t, err := date.Parse(n.Value)
		if err != nil {
			d.errs.add(d.pos(n), "%v", err)
			return
		}
		v.Set(reflect.ValueOf(t))
		return
	case percentType:
		p, err := parsePercent(n)
		if err != nil {
			d.errs.add(d.pos(n), "%v", err)
			return
		}
		v.Set(reflect.ValueOf(p))
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if n.Tag == "!!null" {
			return
		}
		nv := reflect.New(v.Type().Elem())
		d.decode(n, nv.Elem())
		v.Set(nv)
	case reflect.Struct:
		d.decodeStruct(n, v)
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			if n.Kind == yaml.ScalarNode && v.Type().Elem().Kind() == reflect.String && n.Tag != "!!null" {
				// A single value where a list is expected: accept it as a one-item list.
				v.Set(reflect.Append(v, reflect.ValueOf(n.Value)))
				return
			}
			if n.Tag == "!!null" {
				return
			}
			d.errs.add(d.pos(n), "want a list, found %s", kindName(n))
			return
		}
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, c := range n.Content {
			d.decode(c, s.Index(i))
		}
		v.Set(s)
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			d.errs.add(d.pos(n), "want a mapping, found %s", kindName(n))
			return
		}
		m := reflect.MakeMap(v.Type())
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := reflect.New(v.Type().Key()).Elem()
			d.decode(n.Content[i], k)
			e := reflect.New(v.Type().Elem()).Elem()
			d.decode(n.Content[i+1], e)
			m.SetMapIndex(k, e)
		}
		v.Set(m)
	default:
		if n.Kind != yaml.ScalarNode {
			d.errs.add(d.pos(n), "want a single value, found %s", kindName(n))
			return
		}
		if err := n.Decode(v.Addr().Interface()); err != nil {
			msg := err.Error()
			if i := strings.LastIndex(msg, ": "); i >= 0 {
				msg = msg[i+2:]
			}
			d.errs.add(d.pos(n), "%s", msg)
		}
	}
}

func (d *decoder) decodeStruct(n *yaml.Node, v reflect.Value) {
	t := v.Type()
	if f, ok := t.FieldByName("Pos"); ok && f.Type == posType {
		v.FieldByIndex(f.Index).Set(reflect.ValueOf(d.pos(n)))
	}
	if n.Kind != yaml.MappingNode {
		if n.Tag == "!!null" {
			return
		}
		d.errs.add(d.pos(n), "want a mapping with fields %s, found %s", strings.Join(fieldNames(t), ", "), kindName(n))
		return
	}
	seen := map[string]bool{}
	var fieldPos reflect.Value
	if f, ok := t.FieldByName("FieldPos"); ok {
		fieldPos = v.FieldByIndex(f.Index)
		fieldPos.Set(reflect.ValueOf(map[string]Pos{}))
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if fieldPos.IsValid() {
			fieldPos.SetMapIndex(reflect.ValueOf(k.Value), reflect.ValueOf(d.pos(val)))
		}
		idx, ok := fieldIndex(t, k.Value)
		if !ok {
			d.errs.add(d.pos(k), "unknown field %q (known: %s)", k.Value, strings.Join(fieldNames(t), ", "))
			continue
		}
		if seen[k.Value] {
			d.errs.add(d.pos(k), "field %q given twice", k.Value)
			continue
		}
		seen[k.Value] = true
		d.decode(val, v.Field(idx))
	}
}

func fieldIndex(t reflect.Type, name string) (int, bool) {
	for i := 0; i < t.NumField(); i++ {
		tag := strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0]
		if tag == name && tag != "-" {
			return i, true
		}
	}
	return 0, false
}

func fieldNames(t reflect.Type) []string {
	var names []string
	for i := 0; i < t.NumField(); i++ {
		tag := strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0]
		if tag != "" && tag != "-" {
			names = append(names, tag)
		}
	}
	return names
}

func parsePercent(n *yaml.Node) (Percent, error) {
	if n.Kind != yaml.ScalarNode {
		return Percent{}, fmt.Errorf("want a percentage such as 15%%, found %s", kindName(n))
	}
	s := strings.TrimSpace(n.Value)
	if !strings.HasSuffix(s, "%") {
		return Percent{}, fmt.Errorf("want a percentage such as 15%%, found %q (the %% sign is required)", s)
	}
	v, err := money.Parse(strings.TrimSpace(strings.TrimSuffix(s, "%")))
	if err != nil || v.IsNeg() {
		return Percent{}, fmt.Errorf("%q is not a non-negative percentage", s)
	}
	return Percent{Value: v, Set: true}, nil
}

// Merge combines the decoding errors of rule files with the errors of
// checking them, leaving out check errors on a line that already has a
// decoding error (they are consequences of it). It returns nil when both
// are empty.
func Merge(decoding Errors, check error) error {
	out := append(Errors{}, decoding...)
	bad := map[string]bool{}
	for _, e := range decoding {
		bad[fmt.Sprintf("%s:%d", e.Pos.File, e.Pos.Line)] = true
	}
	var ce Errors
	if check != nil && !errors.As(check, &ce) {
		return check
	}
	for _, e := range ce {
		if !bad[fmt.Sprintf("%s:%d", e.Pos.File, e.Pos.Line)] {
			out = append(out, e)
		}
	}
	return out.err()
}
