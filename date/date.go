// Package date holds levy's calendar date: a day with no time of day and no
// time zone, as customs law counts entry, export and publication dates.
// Measures that start "at 12:01 a.m. eastern time on D" start on date D.
//
// It must not import any other levy package.
package date

import (
	"fmt"
	"time"
)

// Date is a calendar day, stored as days since 1970-01-01. The zero Date is
// 1970-01-01; use None for "no date".
type Date int32

// None marks an absent date. It sorts after every real date, so an open-ended
// window [from, None) contains every later day.
const None Date = 1<<31 - 1

// Always marks an open start. It sorts before every real date, so a window
// [Always, to) contains every earlier day.
const Always Date = -1 << 31

// Parse reads an ISO 8601 date (YYYY-MM-DD).
func Parse(s string) (Date, error) {
	if d, ok := parseFast(s); ok {
		return d, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return None, fmt.Errorf("%q is not a date in the form YYYY-MM-DD", s)
	}
	return Of(t), nil
}

// parseFast reads YYYY-MM-DD without going through time.Parse: batch files
// hold millions of dates. It reports false for anything it does not accept,
// and Parse then gives time.Parse's answer.
func parseFast(s string) (Date, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return None, false
	}
	num := func(a, b int) (int, bool) {
		n := 0
		for i := a; i < b; i++ {
			c := s[i]
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	y, ok1 := num(0, 4)
	m, ok2 := num(5, 7)
	d, ok3 := num(8, 10)
	if !ok1 || !ok2 || !ok3 || m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return None, false
	}
	return Date(daysFromCivil(y, m, d)), true
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysFromCivil counts days from 1970-01-01 to y-m-d in the proleptic
// Gregorian calendar (the algorithm of H. Hinnant's date library).
func daysFromCivil(y, m, d int) int {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// MustParse is Parse for constants; it panics on a malformed date.
func MustParse(s string) Date {
	d, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return d
}

// Of returns the calendar day of t in t's location.
func Of(t time.Time) Date {
	y, m, d := t.Date()
	return Date(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// Time returns midnight UTC of the day.
func (d Date) Time() time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

// IsNone reports whether d is the absent date.
func (d Date) IsNone() bool { return d == None }

// AddDays returns the day n days after d.
func (d Date) AddDays(n int) Date {
	if d == None {
		return None
	}
	return d + Date(n)
}

// String prints the date as YYYY-MM-DD, or "" for None and Always.
func (d Date) String() string {
	if d == None || d == Always {
		return ""
	}
	return d.Time().Format(time.DateOnly)
}

// MarshalText implements encoding.TextMarshaler.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = None
		return nil
	}
	v, err := Parse(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// FiscalYear returns the US federal fiscal year of d (October to September):
// 2025-10-01 is in fiscal year 2026.
func (d Date) FiscalYear() int {
	t := d.Time()
	if t.Month() >= time.October {
		return t.Year() + 1
	}
	return t.Year()
}
