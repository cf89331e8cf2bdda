package burden

import (
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/levy-tariff/levy/weights"
)

// WeightsEntryYear weights each entry date by the imports of its own year.
const WeightsEntryYear = "entry"

var censusBaskets struct {
	mu sync.Mutex
	by map[int]*Basket
}

// CensusBasket returns the basket of the embedded Census imports of year,
// built once and shared (callers must not modify it).
func CensusBasket(year int) (*Basket, error) {
	censusBaskets.mu.Lock()
	defer censusBaskets.mu.Unlock()
	if b, ok := censusBaskets.by[year]; ok {
		return b, nil
	}
	t, err := weights.Census(year)
	if err != nil {
		return nil, err
	}
	b := FromCensus(t)
	if censusBaskets.by == nil {
		censusBaskets.by = map[int]*Basket{}
	}
	censusBaskets.by[year] = b
	return b, nil
}

// CensusWeights returns the embedded Census imports as weights: with
// "entry" (or "") each entry date is weighted by its own year's imports,
// dates after the last year levy holds by the last year's and dates before
// the first by the first's; with a year ("2024"), that year's imports
// weight every date: a fixed basket, as the Yale Budget Lab tracker uses
// (2024, before the tariffs of 2025 changed what was imported).
func CensusWeights(choice string) (*Weights, error) {
	years := weights.CensusYears()
	c := strings.TrimSpace(choice)
	if c == "" || c == WeightsEntryYear {
		var bs []*Basket
		for _, y := range years {
			b, err := CensusBasket(y)
			if err != nil {
				return nil, err
			}
			bs = append(bs, b)
		}
		w, err := ByYear(bs...)
		if err != nil {
			return nil, err
		}
		w.label = fmt.Sprintf("Census imports for consumption of each entry date's year (%s; later dates: %d)", joinYears(years), years[len(years)-1])
		return w, nil
	}
	y, err := strconv.Atoi(c)
	if err != nil || !containsInt(years, y) {
		return nil, fmt.Errorf("weights year %q: want %s or one of %s", choice, WeightsEntryYear, joinYears(years))
	}
	b, err := CensusBasket(y)
	if err != nil {
		return nil, err
	}
	w := Fixed(b)
	w.label = fmt.Sprintf("Census imports for consumption %d, for every date (fixed basket)", y)
	return w, nil
}

func joinYears(ys []int) string {
	var s []string
	for _, y := range ys {
		s = append(s, strconv.Itoa(y))
	}
	return strings.Join(s, ", ")
}

func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
