namespace telar::core {}
