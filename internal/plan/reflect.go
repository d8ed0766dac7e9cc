package plan

import "reflect"

func reflectValue(p *Document) reflect.Value { return reflect.ValueOf(p).Elem() }
