namespace telar::license {}
