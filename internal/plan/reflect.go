package plan

import "reflect"

func reflectValue(p *Plan) reflect.Value { return reflect.ValueOf(p).Elem() }
