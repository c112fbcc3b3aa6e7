from django.db import migrations, models


class Migration(migrations.Migration):
    """The log pages' in-memory index replays: which members' page facts changed."""

    dependencies = [
        ('profiles', '0007_profile_moved'),
    ]

    operations = [
        migrations.CreateModel(
            name='ProfileEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('member', models.BigIntegerField()),
                ('at', models.DateTimeField()),
            ],
        ),
    ]
