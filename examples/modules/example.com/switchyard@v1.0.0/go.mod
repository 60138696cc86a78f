module example.com/switchyard

go 1.22
