module example.com/kiln

go 1.26.0
