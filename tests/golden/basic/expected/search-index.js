window.GLOSS_SEARCH = {"version":2,"docs":22,"group":128,"prefix":3,"wordChars":32,"kinds":["article","note","party","proposal","page"],"terms":["2008"]};
