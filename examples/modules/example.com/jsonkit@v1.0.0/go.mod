module example.com/jsonkit

go 1.22
