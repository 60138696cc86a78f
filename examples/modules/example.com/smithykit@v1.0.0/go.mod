module example.com/smithykit

go 1.22
