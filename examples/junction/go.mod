module example.com/junction

go 1.26.0

require example.com/switchyard v1.0.0
