import JBCore
import Testing
@testable import JBIngest

@Suite struct QuestionBuilderTests {
    @Test func dollars() {
        #expect(QuestionBuilder.parseDollars(Array("$2,000".utf8)[...]) == .init(amount: 2000, comma: true))
        #expect(QuestionBuilder.parseDollars(Array("$1000".utf8)[...]) == .init(amount: 1000, comma: false))
        #expect(QuestionBuilder.parseDollars(Array("None".utf8)[...]) == .init(amount: nil, comma: false))
        #expect(QuestionBuilder.parseDollars(nil) == .init(amount: nil, comma: false))
        #expect(QuestionBuilder.parseDollars(Array("0".utf8)[...]) == .init(amount: nil, comma: false))
        #expect(QuestionBuilder.parseDollars(Array("$abc".utf8)[...]) == nil)
    }

    @Test func dates() {
        #expect(QuestionBuilder.parseDate("2004-12-31") == "2004-12-31")
        #expect(QuestionBuilder.parseDate("2004-12-31T00:00:00Z") == "2004-12-31")
        #expect(QuestionBuilder.parseDate("2004-02-29") == "2004-02-29")
        #expect(QuestionBuilder.parseDate("2003-02-29") == nil)
        #expect(QuestionBuilder.parseDate("1999-13-03") == nil)
        #expect(QuestionBuilder.parseDate("12/31/2004") == nil)
    }

    @Test func difficultyFollowsTheDoubling() {
        #expect(Question.difficulty(value: 200, round: .jeopardy, airDate: "2001-11-23") == 2)
        #expect(Question.difficulty(value: 200, round: .jeopardy, airDate: "2001-11-26") == 1)
        #expect(Question.difficulty(value: 2000, round: .doubleJeopardy, airDate: "2010-01-01") == 5)
        #expect(Question.difficulty(value: 1000, round: .doubleJeopardy, airDate: "1990-01-01") == 5)
        #expect(Question.difficulty(value: 300, round: .doubleJeopardy, airDate: "2010-01-01") == nil)
        #expect(Question.difficulty(value: nil, round: .finalJeopardy, airDate: "2010-01-01") == nil)
    }

    @Test func kaggleWagersAreRecognised() {
        var row = RawRow(line: 1, raw: [])
        row.round = Array("Double Jeopardy!".utf8)[...]
        row.airDate = Array("2010-01-01".utf8)[...]
        row.clue = Array("c".utf8)[...]
        row.answer = Array("a".utf8)[...]
        row.value = Array("$2,000".utf8)[...]
        guard case .question(let q) = QuestionBuilder.build(row, format: .csv) else { Issue.record("rejected"); return }
        #expect(q.dailyDouble == true && q.wager == 2000 && q.value == nil && q.difficulty == nil)
        row.value = Array("$2000".utf8)[...]
        guard case .question(let board) = QuestionBuilder.build(row, format: .csv) else { Issue.record("rejected"); return }
        #expect(board.dailyDouble == nil && board.wager == nil && board.value == 2000 && board.difficulty == 5)
        row.value = Array("$300".utf8)[...]
        guard case .question(let odd) = QuestionBuilder.build(row, format: .csv) else { Issue.record("rejected"); return }
        #expect(odd.dailyDouble == true && odd.wager == 300)
    }

    @Test func rejectsSayWhy() {
        var row = RawRow(line: 3, raw: [])
        row.round = Array("Jeopardy!".utf8)[...]
        row.clue = Array("c".utf8)[...]
        row.answer = Array("  ".utf8)[...]
        guard case .reject(let reason) = QuestionBuilder.build(row, format: .csv) else { Issue.record("accepted"); return }
        #expect(reason == "empty answer")
        row.answer = Array("a".utf8)[...]
        row.round = Array("Quadruple".utf8)[...]
        guard case .reject(let r2) = QuestionBuilder.build(row, format: .csv) else { Issue.record("accepted"); return }
        #expect(r2 == "unknown round \"Quadruple\"")
    }

    @Test func sameClueSameIDAcrossFormats() {
        let a = Question.makeID(airDate: "2004-12-31", round: "Jeopardy!", category: "HISTORY", clue: "Bucharest, Bonn, Bern")
        let b = Question.makeID(airDate: "2004-12-31", round: "Jeopardy!", category: "History", clue: "Bucharest,Bonn,  Bern")
        #expect(a == b)
        #expect(a.count == 16)
        let c = Question.makeID(airDate: "2004-12-31", round: "Double Jeopardy!", category: "HISTORY", clue: "Bucharest, Bonn, Bern")
        #expect(a != c)
    }
}
