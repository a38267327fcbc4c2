from .catalog import Course, Lesson, Module
from .progress import LessonProgress, QuizAnswer
from .quiz import Question

__all__ = ["Course", "Module", "Lesson", "Question", "LessonProgress", "QuizAnswer"]
